//! Filters, counts by value, sorting and metadata, alike embedded and sharded.

mod common;

use common::sharded::{resolve, restore, store, tiny};
use engine::{
    encode_sharded, format, Filter, Index, IndexBuilder, Query, SearchOptions, SearchResults, Sort,
    SourceDocument,
};

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A page: id, title, filters, date.
type Page = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static str,
);

/// Five pages about trams: tags, a category, a date (one has none) and metadata.
fn builder() -> IndexBuilder {
    let mut builder = IndexBuilder::new();
    let pages: [Page; 5] = [
        (
            "a.html",
            "Trams of Zürich",
            &[("tag", "city"), ("tag", "lake"), ("category", "guide")],
            "2021-03-01",
        ),
        (
            "b.html",
            "Trams of Geneva",
            &[("tag", "city"), ("category", "guide")],
            "2023-07-15",
        ),
        (
            "c.html",
            "Tram history",
            &[("tag", "history"), ("category", "essay")],
            "2019-01-20",
        ),
        (
            "d.html",
            "Lake trams",
            &[("tag", "lake"), ("category", "essay")],
            "",
        ),
        ("e.html", "Buses", &[("category", "guide")], "2024-01-01"),
    ];
    for (id, title, filters, date) in pages {
        let mut page = SourceDocument::new(id, title, id, format!("{title}: a page about trams."));
        page.filters = pairs(filters);
        page.sort = pairs(&[("date", date)]);
        page.meta = pairs(&[
            ("description", &format!("About {title}")),
            ("image", "tram.png"),
        ]);
        builder.add(page);
    }
    builder
}

fn filter(key: &str, any: &[&str], all: &[&str], not: &[&str]) -> Filter {
    let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
    Filter {
        key: key.into(),
        any: strings(any),
        all: strings(all),
        not: strings(not),
    }
}

/// Searches embedded and sharded: both must answer alike.
fn search(text: &str, options: &SearchOptions, check: impl Fn(&SearchResults<'_>)) {
    let mut builder = builder();
    let memory = builder.build();
    let bytes = format::encode(&memory);
    let embedded = format::decode(&bytes).unwrap();
    let want = embedded.search(&Query::parse(text), options);
    let files = encode_sharded(&memory, &tiny(), &mut store);
    let mut sharded = Index::open_sharded(&files.manifest, &files.files[0], &mut restore).unwrap();
    let (got, _, _) = resolve(&mut sharded, &files, |index| {
        index.search(&Query::parse(text), options)
    });
    assert_eq!(got, want, "{text} {options:?}");
    check(&got);
}

fn ids<'r>(results: &'r SearchResults<'_>) -> Vec<&'r str> {
    results.hits.iter().map(|h| h.id).collect()
}

#[test]
fn filters_narrow_a_search_and_count_its_matches_by_value() {
    let options = SearchOptions {
        filters: vec![filter("tag", &["city", "history"], &[], &["lake"])],
        ..SearchOptions::default()
    };
    search("trams", &options, |got| {
        let mut found = ids(got);
        found.sort();
        assert_eq!(found, ["b.html", "c.html"]);
        assert_eq!(got.total, 2);
        assert_eq!(got.unfiltered_total, Some(5));
        let after = got.filters.as_ref().unwrap();
        let before = got.total_filters.as_ref().unwrap();
        assert_eq!(after.get("category", "guide"), Some(1));
        assert_eq!(after.get("tag", "lake"), Some(0));
        assert_eq!(before.get("tag", "lake"), Some(2));
        assert_eq!(before.get("category", "guide"), Some(3));
    });
    let all = SearchOptions {
        filters: vec![
            filter("tag", &[], &["city", "lake"], &[]),
            filter("category", &["guide"], &[], &[]),
        ],
        ..SearchOptions::default()
    };
    search("trams", &all, |got| assert_eq!(ids(got), ["a.html"]));
    let unknown = SearchOptions {
        filters: vec![filter("colour", &[], &[], &["red"])],
        ..SearchOptions::default()
    };
    search("trams", &unknown, |got| assert_eq!(got.total, 0));
}

#[test]
fn counts_come_without_filters_too() {
    search("lake", &SearchOptions::default(), |got| {
        assert_eq!(ids(got), ["d.html"]);
        let counts = got.filters.as_ref().unwrap();
        assert_eq!(counts.get("tag", "lake"), Some(1));
        assert_eq!(counts.get("category", "essay"), Some(1));
        assert_eq!(got.unfiltered_total, Some(1));
    });
}

#[test]
fn sorts_by_a_key_with_pages_without_a_value_last() {
    let by_date = |descending| SearchOptions {
        sort: Some(Sort {
            key: "date".into(),
            descending,
        }),
        ..SearchOptions::default()
    };
    search("trams", &by_date(true), |got| {
        assert_eq!(ids(got), ["e.html", "b.html", "a.html", "c.html", "d.html"]);
    });
    search("trams", &by_date(false), |got| {
        assert_eq!(ids(got), ["c.html", "a.html", "b.html", "e.html", "d.html"]);
    });
    let paged = SearchOptions {
        offset: 1,
        limit: 2,
        ..by_date(true)
    };
    search("trams", &paged, |got| {
        assert_eq!(ids(got), ["b.html", "a.html"])
    });
}

#[test]
fn filters_or_a_sort_without_words_list_the_pages_they_let_through() {
    let options = SearchOptions {
        filters: vec![filter("category", &["essay"], &[], &[])],
        ..SearchOptions::default()
    };
    search("", &options, |got| {
        assert_eq!(ids(got), ["c.html", "d.html"])
    });
    search("-history", &options, |got| assert_eq!(ids(got), ["d.html"]));
    // Without filters or a sort, no words find nothing, as before.
    search("", &SearchOptions::default(), |got| {
        assert_eq!(got.total, 0)
    });
}

#[test]
fn hits_carry_their_pages_metadata() {
    search("geneva", &SearchOptions::default(), |got| {
        let meta: Vec<(&str, &str)> = got.hits[0].meta.0.iter().map(|(k, v)| (*k, &**v)).collect();
        assert_eq!(
            meta,
            [
                ("description", "About Trams of Geneva"),
                ("image", "tram.png")
            ]
        );
    });
}

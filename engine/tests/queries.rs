//! Forgiving, expressive queries: typos, phrases, exclusions, OR, "did you
//! mean", completions, and what their highlights mark.

mod common;

use common::{corpus, ids, search, seeds, A, B, C};
use engine::analysis::word_spans;
use engine::{
    Bm25fParams, Completion, IndexBuilder, Query, SearchOptions, SearchResults, Section,
    SourceDocument, TypoThresholds,
};

/// The highlighted words of each hit, as JavaScript would slice them (UTF-16).
fn highlighted(results: &SearchResults<'_>) -> Vec<Vec<String>> {
    results
        .hits
        .iter()
        .map(|hit| {
            let utf16: Vec<u16> = hit.excerpt.encode_utf16().collect();
            hit.highlights
                .iter()
                .map(|&[start, end]| {
                    String::from_utf16(&utf16[start as usize..end as usize]).unwrap()
                })
                .collect()
        })
        .collect()
}

#[test]
fn misspelt_words_find_the_seed_texts_with_the_right_words() {
    let mut builder = seeds();
    let index = builder.build();
    // (query, the documents found, in order, and a word highlighted in the first)
    let cases: &[(&str, &[&str], &str)] = &[
        // (C writes `anti-Semitism`: a compound is found by the word itself, not its typos.)
        ("antisemetism ", &[B, A], "antisemitism"),
        ("Nationbulder ", &[B], "Nationbuilder"),
        ("Williamsom ", &[B, C], "Williamson"),
        // The word being typed, with a typo: `antisemet` is one typo from the start of `antisemitism`.
        ("antisemet", &[B, A], "antisemitism"),
    ];
    for &(query, expected, word) in cases {
        let results = search(&index, query);
        assert_eq!(ids(&results), expected, "{query:?}");
        assert!(
            highlighted(&results)[0].iter().any(|w| w == word),
            "{query:?}: {:?}",
            highlighted(&results)
        );
    }
}

#[test]
fn typos_allowed_depend_on_word_length() {
    let mut builder = corpus(&[
        ("four", "Four", "A word: mist."),
        ("seven", "Seven", "A word: example."),
        ("nine", "Nine", "A word: committee."),
    ]);
    let index = builder.build();
    // (query, found): 1–4 characters must be exact; 5–8 allow one typo; 9 or more two.
    let cases: &[(&str, &[&str])] = &[
        ("mist ", &["four"]),
        ("mest ", &[]),
        ("exampel ", &["seven"]),  // a swap: one typo
        ("exmaple ", &["seven"]),  // another swap
        ("exammple ", &["seven"]), // an insertion
        ("exmapel ", &[]),         // two typos in seven letters
        ("comittee ", &["nine"]),  // one typo in eight letters
        ("comitee ", &[]),         // two typos in seven letters: too many
        ("committtee ", &["nine"]),
        ("comitteee ", &["nine"]), // two typos in nine letters
        ("comiteeee ", &[]),       // three
        ("xommittee ", &[]),       // the first letter must be right
        ("ocmmittee ", &[]),       // even swapped
    ];
    for &(query, expected) in cases {
        assert_eq!(ids(&search(&index, query)), expected, "{query:?}");
    }
    // The thresholds are options.
    let strict = SearchOptions {
        typos: TypoThresholds {
            one_typo_from: 100,
            two_typos_from: 100,
        },
        ..SearchOptions::default()
    };
    assert_eq!(index.search(&Query::parse("exampel "), &strict).total, 0);
    let lenient = SearchOptions {
        typos: TypoThresholds {
            one_typo_from: 4,
            two_typos_from: 7,
        },
        ..SearchOptions::default()
    };
    assert_eq!(index.search(&Query::parse("mest "), &lenient).total, 1);
    assert_eq!(index.search(&Query::parse("exmapel "), &lenient).total, 1);
}

#[test]
fn exact_beats_one_typo_beats_two() {
    // The misspelt documents say the word more often and are shorter: only the
    // spelling can put them in this order.
    let mut builder = corpus(&[
        ("two", "Notes", "comitee comitee comitee"),
        ("one", "Notes", "comittee comittee"),
        (
            "exact",
            "Notes",
            "The committee met once, after a long and tiring day of other business.",
        ),
    ]);
    let index = builder.build();
    // Once a document has the word as typed, guesses do not pad the list.
    assert_eq!(ids(&search(&index, "committee ")), ["exact"]);
    assert_eq!(ids(&search(&index, "committee")), ["exact"]);
    // Without one, one typo ranks above two.
    let mut builder = corpus(&[
        ("two", "Notes", "comitee comitee comitee"),
        ("one", "Notes", "comittee comittee"),
        ("other", "Notes", "Nothing about it."),
    ]);
    let index = builder.build();
    assert_eq!(ids(&search(&index, "committee ")), ["one", "two"]);
    // And inside a longer query, all else being equal.
    let mut builder = corpus(&[
        ("typo", "Notes", "annual comittee report"),
        ("exact", "Notes", "annual committee report"),
    ]);
    let index = builder.build();
    assert_eq!(
        ids(&search(&index, "annual committee report")),
        ["exact", "typo"]
    );
}

#[test]
fn phrases() {
    let mut builder = corpus(&[
        (
            "scattered",
            "Movement",
            "The labour of a jewish movement: movement and labour history, jewish labour history.",
        ),
        (
            "phrase",
            "History",
            "A history of the jewish labour movement in Britain.",
        ),
        (
            "twice",
            "Jewish labour movement",
            "The jewish labour movement, and again the jewish labour movement.",
        ),
        ("none", "Other", "Nothing related."),
    ]);
    let index = builder.build();
    let cases: &[(&str, &[&str])] = &[
        // Only adjacent words in order match; more occurrences (and the title) rank higher.
        ("\"jewish labour movement\"", &["twice", "phrase"]),
        ("\"movement labour jewish\"", &[]),
        // Analysed like the index: case, plurals.
        ("\"JEWISH LABOURS MOVEMENTS\"", &["twice", "phrase"]),
        // With other words: the phrase beats the same words scattered.
        (
            "\"labour movement\" jewish ",
            &["twice", "phrase", "scattered"],
        ),
        // Stop words inside a phrase count.
        ("\"history of the jewish\"", &["phrase"]),
        ("\"history of a jewish\"", &[]),
        // Unclosed: runs to the end, and the last word is still being typed.
        ("\"jewish labour mov", &["twice", "phrase"]),
    ];
    for &(query, expected) in cases {
        assert_eq!(ids(&search(&index, query)), expected, "{query:?}");
    }
    // Scores differ with how well documents match (not a constant).
    let results = search(&index, "\"jewish labour movement\"");
    assert!(results.hits[0].score > results.hits[1].score);
    // Only the phrase's occurrences are highlighted, not the same words elsewhere.
    let mut builder = corpus(&[(
        "doc",
        "Doc",
        "labour here. Then the jewish labour movement. And movement there.",
    )]);
    let index = builder.build();
    assert_eq!(
        highlighted(&search(&index, "\"jewish labour movement\"")),
        [["jewish", "labour", "movement"]]
    );
}

#[test]
fn exclusions_and_or() {
    let mut builder = corpus(&[
        ("tiger", "One", "The tiger party met."),
        ("zebra", "Two", "The zebra union met."),
        ("both", "Three", "Tiger and zebra met in the reptile hall."),
        ("phrase", "Four", "The tiger party and the trade union met."),
    ]);
    let index = builder.build();
    // (query, the documents found, sorted by id: the order is not the point here)
    let cases: &[(&str, &[&str])] = &[
        ("tiger -reptile ", &["phrase", "tiger"]),
        ("tiger -reptile -party ", &[]),
        ("tiger -\"tiger party\" ", &["both"]),
        ("tiger -\"party tiger\" ", &["both", "phrase", "tiger"]),
        ("met -tiger ", &["zebra"]),
        // Only exclusions: nothing to look for.
        ("-tiger ", &[]),
        ("tiger OR zebra ", &["both", "phrase", "tiger", "zebra"]),
        ("trade OR zebra union ", &["both", "phrase", "zebra"]),
        ("\"trade union\" OR \"zebra union\" ", &["phrase", "zebra"]),
        // `or` in lower case is a stop word, not an operator: both words are wanted first.
        ("zebra or union ", &["both", "phrase", "zebra"]),
    ];
    for &(query, expected) in cases {
        let mut got = ids(&search(&index, query));
        got.sort();
        assert_eq!(got, expected, "{query:?}");
    }
    // Documents that meet every clause come first: with OR, either alternative does.
    assert_eq!(ids(&search(&index, "trade OR zebra union "))[2], "both");
    assert_eq!(ids(&search(&index, "zebra or union "))[0], "zebra");
    // Excluded words are not highlighted.
    let results = search(&index, "met -reptile -union ");
    assert_eq!(highlighted(&results), [["met"]]);
}

#[test]
fn unusual_queries_have_documented_results() {
    let mut builder = seeds();
    let index = builder.build();
    let long = "jewish labour movement ".repeat(2000);
    let quotes = "\"".repeat(5001);
    let dashes = "- -- --- \"-\" -\"\" OR ".repeat(500);
    // (query, how many documents match)
    let cases: &[(&str, usize)] = &[
        ("\"jewish labour", 3), // unclosed quote: a phrase to the end
        ("-", 0),               // a lone dash is punctuation
        ("- labour ", 3),
        ("OR", 0),
        ("OR labour OR", 3), // OR at the ends is ignored
        ("- OR \"\" -", 0),  // operators only
        ("\"\"", 0),
        (&long, 3),
        (&quotes, 0),
        (&dashes, 0),
        ("labour -", 3),
        ("labour \"", 3),
    ];
    for &(query, total) in cases {
        let results = search(&index, query);
        assert_eq!(results.total, total, "{:?}", &query[..query.len().min(40)]);
    }
}

#[test]
fn did_you_mean() {
    let mut builder = seeds();
    let index = builder.build();
    // (query, suggestion)
    let cases: &[(&str, Option<&str>)] = &[
        ("Nationbulder ", Some("nationbuilder ")),
        ("Nationbulder movment ", Some("nationbuilder movement ")),
        ("the antisemetism of ", Some("the antisemitism of ")),
        ("Williamsom", Some("williamson")),
        // Correct words, or words being typed that complete: nothing to suggest.
        ("labour movement", None),
        ("antisemit", None),
        // A word with no close correction: nothing better to offer.
        ("Nationbulder xyzzyq ", None),
        // Short words get no typos, hence no correction.
        ("jwe ", None),
        ("", None),
    ];
    for &(query, expected) in cases {
        assert_eq!(
            search(&index, query).did_you_mean.as_deref(),
            expected,
            "{query:?}"
        );
    }
}

#[test]
fn completions() {
    let mut builder = corpus(&[
        // `labourers` is stemmed to `labour`: one term, shown as first spelt.
        ("a", "A", "Labour and labourers, labour again."),
        ("b", "B", "Labour laboratory lab."),
        ("c", "C", "Zürich zürich."),
    ]);
    let index = builder.build();
    let words = |text: &str, limit: usize| -> Vec<(String, String, u32)> {
        index
            .complete(text, limit)
            .into_iter()
            .map(
                |Completion {
                     word,
                     query,
                     documents,
                 }| (word, query, documents),
            )
            .collect()
    };
    let own = |w: &str, q: &str, n: u32| (w.to_string(), q.to_string(), n);
    assert_eq!(
        words("lab", 10),
        [
            own("labour", "labour", 2),
            own("lab", "lab", 1),
            own("laboratory", "laboratory", 1),
        ]
    );
    assert_eq!(words("the lab", 1), [own("labour", "the labour", 2)]);
    assert_eq!(words("zur", 5), [own("zürich", "zürich", 1)]);
    assert_eq!(words("lab ", 5), []);
    assert_eq!(words("", 5), []);
    assert_eq!(words("lab", 0), []);
    assert_eq!(words("xyz", 5), []);
}

#[test]
fn the_word_being_typed_matches_itself_before_its_completions() {
    // The longer word is said more often, in a shorter text: only being the
    // word as typed can put the first document first.
    let mut builder = corpus(&[
        ("longer", "Notes", "create indexes indexing indexed"),
        ("longest", "Notes", "create indexam indexam indexam"),
        (
            "exact",
            "Create index",
            "Create an index of the table before the first query, and keep it current.",
        ),
    ]);
    let index = builder.build();
    // `indexes`, `indexing` and `indexed` stem to `index`: the word itself.
    let got = ids(&search(&index, "create index"));
    assert_eq!(got[2], "longest", "{got:?}");
    // Still found while the word is being typed: fewer than a page match it as typed.
    assert_eq!(search(&index, "create index").total, 3);
}

#[test]
fn compounds_find_each_other_spelt_with_a_hyphen_a_space_or_together() {
    let mut builder = corpus(&[
        ("hyphen", "Notes", "Send an e-mail to the data-base team."),
        ("joined", "Notes", "Send an email to the database team."),
        ("spaced", "Notes", "Send a mail to the data base team."),
        ("other", "Notes", "Nothing to see here at all."),
    ]);
    let index = builder.build();
    let found = |query: &str| {
        let mut got = ids(&search(&index, query));
        got.sort();
        got
    };
    // The first hits: those with every word (a text with only `mail` follows).
    let first_two = |query: &str| {
        let mut got = ids(&search(&index, query));
        got.truncate(2);
        got.sort();
        got
    };
    for query in ["email ", "email"] {
        assert_eq!(found(query), ["hyphen", "joined"], "{query:?}");
    }
    for query in ["e-mail ", "e-mail", "E‐mail "] {
        assert_eq!(first_two(query), ["hyphen", "joined"], "{query:?}");
    }
    assert_eq!(found("database "), ["hyphen", "joined"]);
    assert_eq!(found("data-base "), ["hyphen", "joined", "spaced"]);
    // Spaced, it meets both words, or the compound written together.
    let results = search(&index, "data base ");
    assert_eq!(results.total, 3);
    let mut got = ids(&results);
    got.sort();
    assert_eq!(got, ["hyphen", "joined", "spaced"]);
}

/// A snake_case name is one word; typed together or spaced it is the same
/// name. Its parts alone are other words.
#[test]
fn a_snake_case_name_is_found_written_together_or_spaced() {
    let mut builder = corpus(&[
        (
            "memory",
            "Resource consumption",
            "Sets work_mem, the memory a sort may use before it spills.",
        ),
        (
            "globbing",
            "Options",
            "GLOB_DOTS: leading dots need no dot typed.",
        ),
        ("other", "Other", "Work with memory; glob the dots."),
    ]);
    let index = builder.build();
    let found = |query: &str| ids(&search(&index, query));
    for query in ["work_mem", "WORKMEM ", "work mem "] {
        assert_eq!(found(query)[0], "memory", "{query:?}");
    }
    // While it is typed, `workmem` is also past the word `work`, as any
    // word being typed is past the shorter words it starts with.
    assert!(found("workmem").contains(&"memory".to_owned()));
    for query in ["glob_dots", "GLOBDOTS ", "globdots "] {
        assert_eq!(found(query), ["globbing"], "{query:?}");
    }
    assert!(found("GLOBDOTS").contains(&"globbing".to_owned()));
    assert_eq!(found("work "), ["other"]);
}

#[test]
fn a_page_whose_title_is_the_query_or_starts_with_it_comes_first() {
    // The tutorial says the words far more often; only the titles can put
    // the command pages first.
    let mut builder = corpus(&[
        (
            "tutorial",
            "Indexes in practice",
            "To create an index, create index on the column; create index again \
             for each column you search, and create index once more for joins.",
        ),
        (
            "create-index",
            "CREATE INDEX",
            "Synopsis. Defines a new index on a table, named as given.",
        ),
        (
            "create-index-concurrently",
            "CREATE INDEX CONCURRENTLY and locking",
            "Builds the index without locking out writes to the table.",
        ),
    ]);
    let index = builder.build();
    for query in ["create index", "CREATE INDEX ", "create ind"] {
        let got = ids(&search(&index, query));
        assert_eq!(
            got,
            ["create-index", "create-index-concurrently", "tutorial"],
            "{query:?}"
        );
    }
}

/// A page of many functions, each under its own heading, against short
/// pages that only call one: the page with the section named for the query
/// comes first, however long it is and whatever the weights; a heading that
/// is the query before one that starts with it, and a page's title before
/// either.
#[test]
fn a_section_whose_heading_is_the_query_or_starts_with_it_comes_first() {
    let functions = [
        "g_strdup",
        "g_strfreev",
        "g_strsplit",
        "g_strjoinv",
        "g_strv_length",
    ];
    let mut reference = String::from("String utilities.");
    let mut sections = Vec::new();
    for name in functions {
        let word = word_spans(&reference).count() as u32;
        reference.push_str(&format!(
            " {name} () Does what its name says to a string or a vector of strings, \
             returning a new value that the caller frees when it is done with it."
        ));
        sections.push(Section {
            word,
            title: format!("{name} ()"),
            anchor: format!("#{name}"),
        });
    }
    let mut reference_page = SourceDocument::new(
        "reference",
        "String Utility Functions",
        "reference",
        reference,
    );
    reference_page.sections = sections;
    let mut builder = IndexBuilder::new();
    builder.add(reference_page);
    builder.add(SourceDocument::new(
        "shell",
        "Shell utilities",
        "shell",
        "Split a command line; free the result with g_strfreev, or g_strfreev it later.",
    ));
    let index = builder.build();
    let no_heading_weight = SearchOptions {
        params: Bm25fParams {
            heading_weight: 0.0,
            ..Bm25fParams::default()
        },
        ..SearchOptions::default()
    };
    for query in ["g_strfreev", "g_strfreev ", "g_strfre"] {
        let results = search(&index, query);
        assert_eq!(ids(&results), ["reference", "shell"], "{query:?}");
        assert_eq!(results.hits[0].url, "reference#g_strfreev", "{query:?}");
        let results = index.search(&Query::parse(query), &no_heading_weight);
        assert_eq!(ids(&results), ["reference", "shell"], "{query:?}");
    }

    // Is, then starts with, then neither; a title before a heading.
    let section = |id: &str, title: &str, heading: &str| {
        let body = format!("Introduction. {heading}. Some text that follows the heading here.");
        let mut page = SourceDocument::new(id, title, id, body);
        page.sections.push(Section {
            word: 1,
            title: heading.to_owned(),
            anchor: "#s".to_owned(),
        });
        page
    };
    let mut builder = IndexBuilder::new();
    builder.add(SourceDocument::new(
        "mentions",
        "Notes",
        "mentions",
        "Vacuum full, vacuum full, vacuum full: said three times.",
    ));
    builder.add(section("starts", "Maintenance", "Vacuum full and locks"));
    builder.add(section("inside", "Storage", "Running vacuum full"));
    builder.add(section("is", "Cleanup", "Vacuum full"));
    builder.add(SourceDocument::new(
        "titled",
        "VACUUM FULL",
        "titled",
        "Reclaims space.",
    ));
    let index = builder.build();
    for query in ["vacuum full", "VACUUM FULL ", "vacuum fu"] {
        let got = ids(&search(&index, query));
        assert_eq!(&got[..3], ["titled", "is", "starts"], "{query:?}");
    }
    // The heading's words in another order are no lead: the page that says
    // them most comes first.
    assert_eq!(ids(&search(&index, "full vacuum"))[0], "mentions");

    // A heading's name is its words before a bracket (a signature's
    // parameters, a setting's type): `work_mem (integer)` is named `work_mem`.
    let mut builder = IndexBuilder::new();
    builder.add(section("starts", "Tuning", "work_mem and sorting"));
    // Longer, so that its score alone would put it second.
    let mut named = section("named", "Resource consumption", "work_mem (integer)");
    named
        .body
        .push_str(&" Memory for sorts and hashes, per operation.".repeat(6));
    builder.add(named);
    let index = builder.build();
    assert_eq!(ids(&search(&index, "work_mem")), ["named", "starts"]);
}

#[test]
fn a_dotted_name_is_found_by_each_of_its_parts() {
    let mut builder = corpus(&[
        (
            "pathlib",
            "pathlib",
            "PurePath.as_posix() returns the path with forward slashes.",
        ),
        (
            "other",
            "Other",
            "Nothing about paths in here, posix or not.",
        ),
    ]);
    let index = builder.build();
    for query in ["as_posix", "as_posix ", "purepath.as_posix ", "PurePath "] {
        assert_eq!(ids(&search(&index, query)), ["pathlib"], "{query:?}");
    }
}

#[test]
fn a_word_typed_in_full_is_past_no_stem_shorter_than_its_own() {
    let mut builder = corpus(&[
        ("form", "Paper", "Fill in the form."),
        ("formats", "Files", "The formats it reads."),
        ("happiness", "Joy", "Happiness is a warm gun."),
    ]);
    let index = builder.build();
    // `formats` is a term (`format`): `form` is not a word it is the start of.
    assert_eq!(ids(&search(&index, "formats")), ["formats"]);
    // A word that is no term may be past one: `happine` is on its way to `happiness` (`happi`).
    assert_eq!(ids(&search(&index, "happine")), ["happiness"]);
}

#[test]
fn highlights_mark_the_word_as_typed_where_a_page_has_it() {
    // Typos of `alter` crowd the opening; the word itself comes later.
    let filler = "and so on ".repeat(12);
    let body = format!("After later, after: altar after later. {filler} We alter the plan.");
    let mut builder = corpus(&[("plan", "Plan", &body)]);
    let index = builder.build();
    let results = search(&index, "alter ");
    assert_eq!(highlighted(&results), [["alter"]]);
    // A page found only through typos shows them.
    let mut builder = corpus(&[("typos", "Plan", "After later, an altar.")]);
    let index = builder.build();
    assert!(!highlighted(&search(&index, "alter "))[0].is_empty());
}

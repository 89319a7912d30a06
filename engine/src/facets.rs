//! Filters and sort orders: what a site says of its pages besides their
//! text (a page's tags, category, section, date), so that a search can be
//! narrowed to some of them, counted by value, or ordered by one.
//!
//! ```text
//! FACETS   filter keys · per key (sorted by name): name · values · per value (sorted):
//!          name · documents (count, then first absolute, then deltas);
//!          sort keys · per key (sorted by name): name · per document its rank
//!          (0: no value; else 1 + the value's place among the key's distinct values)
//! ```
//! The embedded format keeps it as its sixth section; a sharded index at the
//! end of its core, which every search has: filtering and counting need every
//! document's values, not only the hits'. A value list is a few bytes per
//! page that has it, so a site of 50,000 pages with a tag or two each adds
//! some 100 KB to its core, before compression.
//!
//! A search is narrowed by [`Filter`]s (every key's condition holds), counts
//! its matches by value before and after them, and may be ordered by a sort
//! key ([`Sort`]): pages without a value come last either way, and ties keep
//! the relevance order. Values of a sort key compare as numbers when every
//! one of them is a number, else as text (ISO dates sort as text).
//!
//! Only modules built with the `facets` feature read metadata, filter and
//! sort: the indexer's for a site whose pages set some, and `make build`'s
//! for any corpus but the seeds. The others leave the code out to stay
//! small, and accept only an index whose section is empty.

use std::sync::Arc;

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::error::FormatError;
use crate::format::Reader;

/// A site's filters and sort keys, over every document of the index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facets {
    pub(crate) filters: Vec<FilterKey>,
    pub(crate) sorts: Vec<SortKey>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FilterKey {
    pub name: String,
    /// Sorted by name.
    pub values: Vec<FilterValue>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FilterValue {
    pub name: String,
    /// The documents that have it, increasing.
    pub docs: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SortKey {
    pub name: String,
    /// Per document: 0 without a value, else 1 + its value's place in the order.
    pub ranks: Vec<u32>,
}

/// One key's condition in a search: the document has every value of `all`,
/// at least one of `any` (when not empty), and none of `not`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub key: String,
    pub any: Vec<String>,
    pub all: Vec<String>,
    pub not: Vec<String>,
}

/// Results ordered by a sort key's values instead of by relevance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sort {
    pub key: String,
    pub descending: bool,
}

/// The filter by which the pages of a site in several languages are narrowed
/// to one (its values are language codes, `analysis::language_code`): the
/// index sets it itself, unless the site sets a filter of that name.
pub const LANGUAGE_KEY: &str = "language";

impl Facets {
    /// The filter a search in `tag`'s language gets on a site in several
    /// languages (only the pages in that one), when some page is in it;
    /// None on a site in one language, or for a language it has no page in.
    pub fn language_filter(&self, tag: &str) -> Option<Filter> {
        let code = crate::analysis::language_code(tag);
        self.filters
            .iter()
            .find(|k| k.name == LANGUAGE_KEY)?
            .values
            .iter()
            .any(|v| v.name == code)
            .then(|| Filter {
                key: LANGUAGE_KEY.to_owned(),
                any: vec![code],
                all: Vec::new(),
                not: Vec::new(),
            })
    }

    pub fn is_empty(&self) -> bool {
        self.filters.is_empty() && self.sorts.is_empty()
    }

    /// The languages of the pages (codes), on a site in several languages
    /// (the [`LANGUAGE_KEY`] filter's values); `None` on one in a single
    /// language. (Read only where queries are read in several languages.)
    #[cfg(feature = "languages")]
    pub(crate) fn page_languages(&self) -> Option<impl Iterator<Item = &str>> {
        let key = self.filters.iter().find(|k| k.name == LANGUAGE_KEY)?;
        Some(key.values.iter().map(|v| v.name.as_str()))
    }

    /// The filter keys, in order.
    pub fn filter_keys(&self) -> impl Iterator<Item = &str> {
        self.filters.iter().map(|k| k.name.as_str())
    }

    /// The sort keys, in order.
    pub fn sort_keys(&self) -> impl Iterator<Item = &str> {
        self.sorts.iter().map(|k| k.name.as_str())
    }

    pub(crate) fn sort_key(&self, name: &str) -> Option<&SortKey> {
        self.sorts.iter().find(|k| k.name == name)
    }

    /// Which of `doc_count` documents every filter lets through; None when
    /// there are no filters. A key the index does not have lets none through.
    pub(crate) fn allowed(&self, filters: &[Filter], doc_count: usize) -> Option<Vec<bool>> {
        if filters.is_empty() {
            return None;
        }
        let mut allowed = vec![true; doc_count];
        let mut marks = vec![0u32; doc_count];
        for filter in filters {
            let Some(key) = self.filters.iter().find(|k| k.name == filter.key) else {
                return Some(vec![false; doc_count]);
            };
            let docs_of = |value: &String| {
                key.values
                    .binary_search_by(|v| v.name.as_str().cmp(value))
                    .map_or(&[][..], |i| &key.values[i].docs[..])
            };
            // `all`: a document has each value; counted in `marks`.
            let mut need = 0;
            for value in dedup(&filter.all) {
                need += 1;
                for &doc in docs_of(value) {
                    marks[doc as usize] += 1;
                }
            }
            if !filter.any.is_empty() {
                need += 1;
                let mut seen = vec![false; doc_count];
                for value in &filter.any {
                    for &doc in docs_of(value) {
                        if !std::mem::replace(&mut seen[doc as usize], true) {
                            marks[doc as usize] += 1;
                        }
                    }
                }
            }
            for value in &filter.not {
                for &doc in docs_of(value) {
                    allowed[doc as usize] = false;
                }
            }
            for (ok, mark) in allowed.iter_mut().zip(marks.iter_mut()) {
                *ok &= *mark == need;
                *mark = 0;
            }
        }
        Some(allowed)
    }

    /// How many of `docs` have each value of each key.
    pub(crate) fn counts(self: &Arc<Self>, docs: &[u32], doc_count: usize) -> FilterCounts {
        let mut member = vec![false; doc_count];
        for &doc in docs {
            member[doc as usize] = true;
        }
        let counts = self
            .filters
            .iter()
            .flat_map(|key| &key.values)
            .map(|value| value.docs.iter().filter(|&&d| member[d as usize]).count() as u32)
            .collect();
        FilterCounts {
            facets: Arc::clone(self),
            counts,
        }
    }

    /// Encodes the FACETS section (the module's sixth, a sharded core's tail).
    #[cfg(feature = "build")]
    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        use crate::format::{put_deltas, put_str, put_varint};
        put_varint(out, self.filters.len() as u32);
        for key in &self.filters {
            put_str(out, &key.name);
            put_varint(out, key.values.len() as u32);
            for value in &key.values {
                put_str(out, &value.name);
                put_varint(out, value.docs.len() as u32);
                put_deltas(out, &value.docs);
            }
        }
        put_varint(out, self.sorts.len() as u32);
        for key in &self.sorts {
            put_str(out, &key.name);
            for &rank in &key.ranks {
                put_varint(out, rank);
            }
        }
    }

    /// Reads what [`Facets::encode`] wrote for `doc_count` documents,
    /// checking names are sorted and documents in range.
    pub(crate) fn decode(reader: &mut Reader<'_>, doc_count: usize) -> Result<Self, FormatError> {
        const UNSORTED: &str = "filter or sort names are not sorted";
        let mut filters: Vec<FilterKey> = Vec::with_capacity(reader.count(2)?);
        for _ in 0..filters.capacity() {
            let name = reader.str()?.to_owned();
            if filters.last().is_some_and(|last| last.name >= name) {
                return Err(reader.corrupt(UNSORTED));
            }
            let mut values: Vec<FilterValue> = Vec::with_capacity(reader.count(2)?);
            for _ in 0..values.capacity() {
                let value = reader.str()?.to_owned();
                if values.last().is_some_and(|last| last.name >= value) {
                    return Err(reader.corrupt(UNSORTED));
                }
                let count = reader.count(1)?;
                let mut docs = Vec::with_capacity(count);
                reader.deltas_into(
                    count as u32,
                    doc_count as u32,
                    &mut docs,
                    "a filter's documents are out of order or out of range",
                )?;
                values.push(FilterValue { name: value, docs });
            }
            filters.push(FilterKey { name, values });
        }
        let mut sorts: Vec<SortKey> = Vec::with_capacity(reader.count(1)?);
        for _ in 0..sorts.capacity() {
            let name = reader.str()?.to_owned();
            if sorts.last().is_some_and(|last| last.name >= name) {
                return Err(reader.corrupt(UNSORTED));
            }
            // A rank is at least a byte per document.
            reader.has_room(doc_count, 1)?;
            let ranks = (0..doc_count)
                .map(|_| reader.varint())
                .collect::<Result<Vec<u32>, _>>()?;
            sorts.push(SortKey { name, ranks });
        }
        Ok(Facets { filters, sorts })
    }
}

/// The values of `values` once each, in their order.
fn dedup(values: &[String]) -> impl Iterator<Item = &String> {
    values
        .iter()
        .enumerate()
        .filter(|(i, v)| !values[..*i].contains(v))
        .map(|(_, v)| v)
}

/// Per filter key, per value, a number of documents: what a search returns
/// as `filters` and `totalFilters`, serialized as `{ key: { value: n } }`.
#[derive(Debug, Clone, PartialEq)]
pub struct FilterCounts {
    facets: Arc<Facets>,
    /// One per value, keys and values in order.
    counts: Vec<u32>,
}

impl FilterCounts {
    /// The count of `value` of filter `key`, if the index has it.
    pub fn get(&self, key: &str, value: &str) -> Option<u32> {
        let mut at = 0;
        for k in &self.facets.filters {
            if k.name == key {
                let i = k.values.iter().position(|v| v.name == value)?;
                return Some(self.counts[at + i]);
            }
            at += k.values.len();
        }
        None
    }
}

impl Serialize for FilterCounts {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut counts = self.counts.iter();
        let mut keys = serializer.serialize_map(Some(self.facets.filters.len()))?;
        for key in &self.facets.filters {
            let values: Vec<(&str, u32)> = key
                .values
                .iter()
                .map(|v| (v.name.as_str(), *counts.next().unwrap_or(&0)))
                .collect();
            keys.serialize_entry(&key.name, &ValueCounts(&values))?;
        }
        keys.end()
    }
}

struct ValueCounts<'a>(&'a [(&'a str, u32)]);

impl Serialize for ValueCounts<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

#[cfg(feature = "build")]
pub(crate) use build::FacetsBuilder;

#[cfg(feature = "build")]
mod build {
    use super::*;
    use std::collections::BTreeMap;

    /// Gathers documents' filter and sort values as they are added, in
    /// document order.
    #[derive(Debug, Default)]
    pub(crate) struct FacetsBuilder {
        filters: BTreeMap<String, BTreeMap<String, Vec<u32>>>,
        sorts: BTreeMap<String, Vec<(u32, String)>>,
        documents: u32,
        /// Per page language (code), its documents: the `language` filter
        /// of a site in several languages ([`LANGUAGE_KEY`]).
        languages: BTreeMap<String, Vec<u32>>,
    }

    impl FacetsBuilder {
        /// Adds the next document's values (`(key, value)` pairs; a key of
        /// `filters` may come with many values, a sort key counts once, its
        /// first value). Empty keys and values are left out.
        pub(crate) fn add(
            &mut self,
            filters: &[(String, String)],
            sort: &[(String, String)],
            language: &str,
        ) {
            let doc = self.documents;
            self.documents += 1;
            self.languages
                .entry(crate::analysis::page_language_code(language))
                .or_default()
                .push(doc);
            for (key, value) in filters
                .iter()
                .filter(|(k, v)| !k.is_empty() && !v.is_empty())
            {
                let docs = self
                    .filters
                    .entry(key.clone())
                    .or_default()
                    .entry(value.clone())
                    .or_default();
                if docs.last() != Some(&doc) {
                    docs.push(doc);
                }
            }
            for (key, value) in sort.iter().filter(|(k, v)| !k.is_empty() && !v.is_empty()) {
                let values = self.sorts.entry(key.clone()).or_default();
                if values.last().is_none_or(|(last, _)| *last != doc) {
                    values.push((doc, value.clone()));
                }
            }
        }

        pub(crate) fn finish(mut self) -> Facets {
            // Pages in several languages: each page's is a filter value, unless
            // the site has a `language` filter of its own.
            if self.languages.len() > 1 && !self.filters.contains_key(LANGUAGE_KEY) {
                self.filters
                    .insert(LANGUAGE_KEY.to_owned(), std::mem::take(&mut self.languages));
            }
            let filters = self
                .filters
                .into_iter()
                .map(|(name, values)| FilterKey {
                    name,
                    values: values
                        .into_iter()
                        .map(|(name, docs)| FilterValue { name, docs })
                        .collect(),
                })
                .collect();
            let documents = self.documents as usize;
            let sorts = self
                .sorts
                .into_iter()
                .map(|(name, values)| SortKey {
                    name,
                    ranks: ranks(&values, documents),
                })
                .collect();
            Facets { filters, sorts }
        }
    }

    /// Each document's place in the order of its value (1 for the least;
    /// equal values share one), 0 for documents without one. Numbers when
    /// every value is one, else text.
    fn ranks(values: &[(u32, String)], documents: usize) -> Vec<u32> {
        let numbers: Option<Vec<f64>> = values
            .iter()
            .map(|(_, v)| v.trim().parse::<f64>().ok().filter(|n| n.is_finite()))
            .collect();
        let mut order: Vec<usize> = (0..values.len()).collect();
        match &numbers {
            Some(numbers) => order.sort_by(|&a, &b| numbers[a].total_cmp(&numbers[b])),
            None => order.sort_by(|&a, &b| values[a].1.cmp(&values[b].1)),
        }
        let same = |a: usize, b: usize| match &numbers {
            Some(numbers) => numbers[a] == numbers[b],
            None => values[a].1 == values[b].1,
        };
        let mut ranks = vec![0; documents];
        let mut rank = 0;
        for (i, &at) in order.iter().enumerate() {
            if i == 0 || !same(order[i - 1], at) {
                rank += 1;
            }
            ranks[values[at].0 as usize] = rank;
        }
        ranks
    }
}

#[cfg(all(test, feature = "build"))]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn facets() -> Facets {
        let mut builder = FacetsBuilder::default();
        builder.add(
            &pairs(&[("tag", "a"), ("tag", "b")]),
            &pairs(&[("n", "10")]),
            "",
        );
        builder.add(
            &pairs(&[("tag", "b"), ("kind", "x")]),
            &pairs(&[("n", "9")]),
            "en",
        );
        builder.add(&pairs(&[("tag", "c")]), &[], "");
        builder.add(&[], &pairs(&[("n", "9.0")]), "en-GB");
        builder.finish()
    }

    fn allowed(filter: Filter) -> Vec<u32> {
        let allowed = facets().allowed(&[filter], 4).unwrap();
        (0..4).filter(|&d| allowed[d as usize]).collect()
    }

    fn tag(any: &[&str], all: &[&str], not: &[&str]) -> Filter {
        let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
        Filter {
            key: "tag".into(),
            any: strings(any),
            all: strings(all),
            not: strings(not),
        }
    }

    #[test]
    fn any_all_and_not() {
        assert_eq!(allowed(tag(&["a", "c"], &[], &[])), [0, 2]);
        assert_eq!(allowed(tag(&[], &["a", "b"], &[])), [0]);
        assert_eq!(allowed(tag(&[], &["b", "b"], &[])), [0, 1]);
        assert_eq!(allowed(tag(&["b", "c"], &[], &["a"])), [1, 2]);
        assert_eq!(allowed(tag(&[], &[], &["a"])), [1, 2, 3]);
        assert_eq!(allowed(tag(&["nowhere"], &[], &[])), Vec::<u32>::new());
        let unknown = Filter {
            key: "colour".into(),
            ..tag(&[], &[], &["a"])
        };
        assert_eq!(allowed(unknown), Vec::<u32>::new());
    }

    #[test]
    fn numbers_rank_as_numbers_and_equal_values_share_a_rank() {
        let facets = facets();
        assert_eq!(facets.sort_key("n").unwrap().ranks, [2, 1, 0, 1]);
    }

    #[test]
    fn counts_by_value() {
        let facets = Arc::new(facets());
        let counts = facets.counts(&[0, 1], 4);
        assert_eq!(counts.get("tag", "b"), Some(2));
        assert_eq!(counts.get("tag", "c"), Some(0));
        assert_eq!(counts.get("kind", "x"), Some(1));
        assert_eq!(counts.get("kind", "y"), None);
    }

    #[test]
    fn round_trips_and_rejects_corruption() {
        let facets = facets();
        let mut bytes = Vec::new();
        facets.encode(&mut bytes);
        assert_eq!(
            Facets::decode(&mut Reader::new(&bytes, 0), 4).unwrap(),
            facets
        );
        assert!(Facets::decode(&mut Reader::new(&bytes, 0), 1).is_err());
        for cut in 0..bytes.len() {
            assert!(Facets::decode(&mut Reader::new(&bytes[..cut], 0), 4).is_err());
        }
    }
}

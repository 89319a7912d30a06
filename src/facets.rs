//! The `filters` and `sort` options of `search`, read from their JS values, and their
//! check against the index's own keys: a key no page sets is a mistake in
//! the page that searches, and an Error says which keys there are.
//!
//! ```js
//! search("tram", { filters: { tag: "city" } })                    // has the value
//! search("tram", { filters: { tag: ["city", "lake"] } })          // has every one
//! search("tram", { filters: { tag: { any: ["city", "lake"], not: "old" } } })
//! search("tram", { sort: { date: "desc" } })                      // or "asc"
//! ```
//! Keys of `filters` must all hold. A module without the `facets` feature
//! (the seeds' module of `make build`) has neither option: it refuses them
//! as unknown.

use wasm_bindgen::prelude::*;

use crate::SEARCH;

pub(crate) use with_facets::read_options;

mod with_facets {
    use engine::{Filter, SearchOptions, Sort};
    use js_sys::{Array, Object};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    use crate::SEARCH;

    // Read by walking the JS values rather than through serde: a condition
    // is a string, a list or an object, and serde's untagged enums (which
    // buffer the value to try each shape) were 12 KB gzipped of the module.

    const FILTERS_SHAPE: &str = "options.filters must be an object whose keys are filters, each a value, a list of values (every one), or { any, all, not } with a value or a list each, like { tag: \"rust\" } or { tag: { any: [\"rust\", \"wasm\"] } }";
    const SORT_SHAPE: &str =
        "options.sort must be an object of one sort key and \"asc\" or \"desc\", like { date: \"desc\" }";

    /// A plain object's own `[key, value]` pairs; None for anything else.
    fn entries(value: &JsValue) -> Option<Vec<(String, JsValue)>> {
        if !value.is_object() || Array::is_array(value) {
            return None;
        }
        Object::entries(value.unchecked_ref())
            .iter()
            .map(|entry| {
                let entry: Array = entry.unchecked_into();
                Some((entry.get(0).as_string()?, entry.get(1)))
            })
            .collect()
    }

    /// A string, or a list of strings.
    fn values(value: &JsValue) -> Option<Vec<String>> {
        match value.as_string() {
            Some(one) => Some(vec![one]),
            None if Array::is_array(value) => {
                Array::from(value).iter().map(|v| v.as_string()).collect()
            }
            None => None,
        }
    }

    /// One key's condition: values (every one), or `{ any, all, not }`.
    fn filter(key: String, condition: &JsValue) -> Option<Filter> {
        if let Some(all) = values(condition) {
            return Some(Filter {
                key,
                all,
                ..Filter::default()
            });
        }
        let ops = entries(condition)?;
        if ops.is_empty() {
            return None;
        }
        let mut filter = Filter {
            key,
            ..Filter::default()
        };
        for (op, given) in ops {
            let list = match op.as_str() {
                "any" => &mut filter.any,
                "all" => &mut filter.all,
                "not" => &mut filter.not,
                _ => return None,
            };
            *list = values(&given)?;
        }
        Some(filter)
    }

    pub(crate) fn read_options(
        filters: JsValue,
        sort: JsValue,
        options: &mut SearchOptions,
    ) -> Result<(), JsError> {
        let shape = |what: &str| JsError::new(&[SEARCH, what].concat());
        if !filters.is_undefined() && !filters.is_null() {
            let given = entries(&filters).ok_or_else(|| shape(FILTERS_SHAPE))?;
            for (key, condition) in given {
                options
                    .filters
                    .push(filter(key, &condition).ok_or_else(|| shape(FILTERS_SHAPE))?);
            }
        }
        if !sort.is_undefined() && !sort.is_null() {
            let given = entries(&sort).ok_or_else(|| shape(SORT_SHAPE))?;
            let [(key, order)] = &given[..] else {
                return Err(shape(SORT_SHAPE));
            };
            let descending = match order.as_string().as_deref() {
                Some("asc") => false,
                Some("desc") => true,
                _ => return Err(shape(SORT_SHAPE)),
            };
            options.sort = Some(Sort {
                key: key.clone(),
                descending,
            });
        }
        Ok(())
    }
}

/// Refuses a filter or sort key that no page of the index sets, naming those it has.
pub(crate) fn check(
    index: &engine::Index<'_>,
    options: &engine::SearchOptions,
) -> Result<(), JsError> {
    let facets = index.facets_of();
    let unknown = |what: &str, key: &str, known: Vec<&str>| {
        let known = match known.is_empty() {
            true => ["this site has no ", what, "s"].concat(),
            false => ["this site's ", what, "s are ", &known.join(", ")].concat(),
        };
        JsError::new(&[SEARCH, "no page sets the ", what, " `", key, "`; ", &known].concat())
    };
    for filter in &options.filters {
        if !facets.filter_keys().any(|k| k == filter.key) {
            return Err(unknown(
                "filter",
                &filter.key,
                facets.filter_keys().collect(),
            ));
        }
    }
    if let Some(sort) = &options.sort {
        if !facets.sort_keys().any(|k| k == sort.key) {
            return Err(unknown("sort key", &sort.key, facets.sort_keys().collect()));
        }
    }
    Ok(())
}

//! What every search result must be, whatever the corpus and the query:
//! shared by the property tests (`tests/properties.rs`) and the fuzz targets
//! (`fuzz/fuzz_targets/`), which include this file by path.

use engine::SearchResults;

/// Every score finite; no more hits than the total; every highlight inside
/// its excerpt, on UTF-16 character boundaries, non-empty and increasing.
pub fn check(results: &SearchResults<'_>) -> Result<(), String> {
    if results.hits.len() > results.total {
        return Err(format!(
            "{} hits but a total of {}",
            results.hits.len(),
            results.total
        ));
    }
    for hit in &results.hits {
        if !hit.score.is_finite() {
            return Err(format!("score {} for {}", hit.score, hit.id));
        }
        for (text, highlights) in [
            (&*hit.excerpt, &hit.highlights),
            (&*hit.title, &hit.title_highlights),
        ] {
            let utf16: Vec<u16> = text.encode_utf16().collect();
            let is_low_surrogate = |unit: u16| (0xDC00..0xE000).contains(&unit);
            let mut previous_end = 0;
            for &[start, end] in highlights {
                let (start, end) = (start as usize, end as usize);
                if !(previous_end <= start && start < end && end <= utf16.len()) {
                    return Err(format!(
                        "highlight {start}..{end} after {previous_end} in a text of {} UTF-16 units",
                        utf16.len()
                    ));
                }
                if is_low_surrogate(utf16[start]) {
                    return Err(format!(
                        "highlight {start}..{end} starts inside a character"
                    ));
                }
                if end < utf16.len() && is_low_surrogate(utf16[end]) {
                    return Err(format!("highlight {start}..{end} ends inside a character"));
                }
                previous_end = end;
            }
        }
    }
    Ok(())
}

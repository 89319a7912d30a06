//! Plain text: the first non-empty line is the title, the rest the body.

use super::{one_line, parsed, Parsed};

pub(super) fn parse(text: &str) -> Parsed {
    let mut lines = text.lines();
    let title = lines.by_ref().map(str::trim).find(|line| !line.is_empty());
    let rest: Vec<&str> = lines.collect();
    parsed(title.map(one_line), &rest.join("\n"), Vec::new())
}

#[cfg(test)]
mod tests {
    #[test]
    fn title_is_the_first_non_empty_line() {
        let cases = [
            (
                "Title\nBody text.\n\nMore.",
                Some("Title"),
                "Body text.\nMore.",
            ),
            ("\n\n  Spaced   title  \nbody", Some("Spaced title"), "body"),
            ("Only a title", Some("Only a title"), ""),
            ("   \n \n", None, ""),
        ];
        for (text, title, body) in cases {
            let super::Parsed {
                title: got_title,
                body: got_body,
                ..
            } = super::parse(text);
            assert_eq!(got_title.as_deref(), title, "{text:?}");
            assert_eq!(got_body, body, "{text:?}");
        }
    }
}

//! Reading the answer to a request for several ranges of one file
//! (`Range: bytes=a-b, c-d`, RFC 9110 14.6): a `multipart/byteranges` body of
//! parts, each with its `Content-Range`; or one range, if the host joined
//! them; or, from a host without ranges, the whole file. The sharded module
//! asks so on HTTP/1.1, where a round of more requests than the browser runs
//! at once (six to a host) costs another round trip, and merging close parts
//! into one range costs the bytes between them (`shards.rs`).
//!
//! Parsing only: no I/O, tested on the host.

/// The parts of a `206 Partial Content` answer, each as (its first byte's
/// offset in the file, its bytes). `content_range` is the response's
/// `Content-Range` header: there when the host sent one range (a host may
/// join the ranges asked for), absent from a `multipart/byteranges` answer.
/// `None` if the body is not what the headers say.
///
/// A multipart body is read part by part: a delimiter line and headers up to
/// a blank line, then as many bytes as the part's `Content-Range` says
/// (binary data may hold anything, a delimiter included, so it is never
/// searched). The boundary is not checked: each part's length is, and what a
/// part holds is checked again when the index reads it.
pub fn parts<'a>(body: &'a [u8], content_range: Option<&str>) -> Option<Vec<(u32, &'a [u8])>> {
    if let Some(range) = content_range {
        let (start, len) = range_of(range.as_bytes())?;
        return (len as usize == body.len()).then(|| vec![(start, body)]);
    }
    let mut parts = Vec::new();
    let mut rest = body;
    // The closing delimiter has no blank line after it.
    while let Some(end) = find(rest, b"\r\n\r\n") {
        let headers = &rest[..end];
        let name = b"content-range:";
        let at = headers
            .windows(name.len())
            .position(|w| w.eq_ignore_ascii_case(name))?;
        let (start, len) = range_of(&headers[at + name.len()..])?;
        let data_end = (end + 4).checked_add(len as usize)?;
        parts.push((start, rest.get(end + 4..data_end)?));
        rest = &rest[data_end..];
    }
    (!parts.is_empty()).then_some(parts)
}

/// `bytes FIRST-LAST/SIZE` as (first, length).
fn range_of(value: &[u8]) -> Option<(u32, u32)> {
    let value = value.trim_ascii_start().strip_prefix(b"bytes ")?;
    let (first, rest) = number(value)?;
    let (last, rest) = number(rest.strip_prefix(b"-")?)?;
    rest.starts_with(b"/")
        .then(|| Some((first, last.checked_sub(first)?.checked_add(1)?)))?
}

/// The number `bytes` start with, and what follows it.
fn number(bytes: &[u8]) -> Option<(u32, &[u8])> {
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    let mut n = (digits > 0).then_some(0u32)?;
    for &digit in &bytes[..digits] {
        n = n.checked_mul(10)?.checked_add(u32::from(digit - b'0'))?;
    }
    Some((n, &bytes[digits..]))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The bytes `start..start + len` of a file, from the `parts` a server sent.
pub fn cut<'a>(parts: &[(u32, &'a [u8])], start: u32, len: u32) -> Option<&'a [u8]> {
    parts.iter().find_map(|&(first, bytes)| {
        let from = start.checked_sub(first)? as usize;
        bytes.get(from..from.checked_add(len as usize)?)
    })
}

#[cfg(test)]
mod tests {
    use super::{cut, parts};

    #[test]
    fn reads_a_multipart_answer() {
        let body = b"\r\n--XYZ\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes 2-4/100\r\n\r\nabc\r\n--XYZ\r\ncontent-range: bytes 10-14/100\r\n\r\n--XYZ\r\n--XYZ--\r\n";
        let got = parts(body, None).expect("a well-formed answer");
        // The second part's bytes are a delimiter: taken by length, not searched for.
        assert_eq!(got, vec![(2, &b"abc"[..]), (10, &b"--XYZ"[..])]);
        assert_eq!(cut(&got, 3, 2), Some(&b"bc"[..]));
        assert_eq!(cut(&got, 10, 5), Some(&b"--XYZ"[..]));
        assert_eq!(cut(&got, 4, 2), None, "runs past its part");
        assert_eq!(cut(&got, 0, 1), None, "not sent");
    }

    #[test]
    fn reads_one_range_and_refuses_what_does_not_add_up() {
        assert_eq!(
            parts(b"hello", Some("bytes 7-11/20")),
            Some(vec![(7, &b"hello"[..])])
        );
        assert_eq!(
            parts(b"hell", Some("bytes 7-11/20")),
            None,
            "shorter than its range"
        );
        assert_eq!(parts(b"hello", Some("bytes 11-7/20")), None, "backwards");
        assert_eq!(
            parts(b"hello", Some("bytes 7-99999999999/20")),
            None,
            "overflow"
        );
        assert_eq!(parts(b"hello", None), None, "no range, no parts");
        let cut_short = b"\r\n--B\r\nContent-Range: bytes 0-9/20\r\n\r\nabc";
        assert_eq!(parts(cut_short, None), None);
        let no_range = b"--B\r\nContent-Type: x\r\n\r\nabc\r\n--B--";
        assert_eq!(parts(no_range, None), None);
    }
}

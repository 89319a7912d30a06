//! Raw DEFLATE (RFC 1951) read back: how a sharded index's stored parts are
//! inflated, in the module and in the indexer's checks alike.
//!
//! Why not a crate: miniz_oxide, which the indexer deflates with, was 5.4 KB
//! of the 76.5 KB gzipped sharded module (2026-12-06), being a streaming
//! inflater with table-driven decoding. The parts we inflate are small (a
//! dictionary shard, a term's postings, a block of text: a few KB each) and
//! arrive whole, so this one decodes a whole part in one call, a bit at a
//! time through canonical code counts, as the RFC describes it: a fraction of
//! the code, and fast enough that a part's inflation is far below a round
//! trip's cost. `tests/inflate.rs` checks it against miniz_oxide's deflater at
//! every level and on corrupt input.

/// The most a stored part may inflate to: it only stops data that inflates
/// without end (a part is a few KB; a texts file whole, a few hundred).
pub const MAX_PART_BYTES: usize = 1 << 30;

/// Longest code of any Huffman table in DEFLATE.
const MAX_BITS: usize = 15;

/// Base length and extra bits of length symbols 257..=285.
const LENGTH_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LENGTH_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
/// Base distance and extra bits of distance symbols 0..=29.
const DISTANCE_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DISTANCE_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];
/// The order in which a dynamic block lists its code-length code's lengths.
const CODE_LENGTH_ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

/// Inflates `stored`, raw DEFLATE data, into at most `limit` bytes. `None`
/// for anything that is not one complete DEFLATE stream within the limit:
/// a bad block type, a code that is over-subscribed or not in its table, a
/// distance before the start, a stream cut short, or output past `limit`.
/// Bytes after the final block are ignored, as every inflater does.
pub fn inflate(stored: &[u8], limit: usize) -> Option<Vec<u8>> {
    let mut bits = Bits {
        input: stored,
        next: 0,
        buffer: 0,
        count: 0,
    };
    let mut out = Vec::with_capacity(stored.len().saturating_mul(3).min(limit));
    loop {
        let last = bits.take(1)? == 1;
        match bits.take(2)? {
            0 => bits.stored_block(&mut out, limit)?,
            1 => {
                let (literals, distances) = fixed_codes();
                codes(&mut bits, &literals, &distances, &mut out, limit)?;
            }
            2 => {
                let (literals, distances) = dynamic_codes(&mut bits)?;
                codes(&mut bits, &literals, &distances, &mut out, limit)?;
            }
            _ => return None,
        }
        if last {
            return Some(out);
        }
    }
}

/// The input read least significant bit first, as DEFLATE packs it.
struct Bits<'a> {
    input: &'a [u8],
    next: usize,
    buffer: u32,
    count: u32,
}

impl Bits<'_> {
    /// The next `n` (at most 16) bits as a number.
    fn take(&mut self, n: u32) -> Option<u32> {
        while self.count < n {
            let byte = *self.input.get(self.next)?;
            self.next += 1;
            self.buffer |= u32::from(byte) << self.count;
            self.count += 8;
        }
        let value = self.buffer & ((1 << n) - 1);
        self.buffer >>= n;
        self.count -= n;
        Some(value)
    }

    /// A stored block: the rest of the byte skipped, then its length, the
    /// length's complement, and that many bytes as they are.
    fn stored_block(&mut self, out: &mut Vec<u8>, limit: usize) -> Option<()> {
        self.buffer = 0;
        self.count = 0;
        let header = self.input.get(self.next..self.next + 4)?;
        let len = u16::from_le_bytes([header[0], header[1]]);
        let complement = u16::from_le_bytes([header[2], header[3]]);
        if len != !complement {
            return None;
        }
        self.next += 4;
        let bytes = self.input.get(self.next..self.next + usize::from(len))?;
        if out.len() + bytes.len() > limit {
            return None;
        }
        out.extend_from_slice(bytes);
        self.next += bytes.len();
        Some(())
    }
}

/// A canonical Huffman code: how many codes have each length, and the
/// symbols ordered by code.
struct Huffman {
    counts: [u16; MAX_BITS + 1],
    symbols: Vec<u16>,
}

impl Huffman {
    /// The code of the symbols that have the given code `lengths` (0: not in
    /// the code). `None` unless the lengths fill the code space exactly, as
    /// zlib requires, with its two exceptions: no code at all (a block
    /// without copies) and a single code of one bit.
    fn new(lengths: &[u8]) -> Option<Huffman> {
        let mut counts = [0u16; MAX_BITS + 1];
        for &len in lengths {
            counts[usize::from(len)] += 1;
        }
        let mut left: i32 = 1;
        for &count in &counts[1..] {
            left = left * 2 - i32::from(count);
            if left < 0 {
                return None;
            }
        }
        let codes = lengths.len() - usize::from(counts[0]);
        if left > 0 && codes > 0 && !(codes == 1 && counts[1] == 1) {
            return None;
        }
        let mut offsets = [0u16; MAX_BITS + 2];
        for len in 1..=MAX_BITS {
            offsets[len + 1] = offsets[len] + counts[len];
        }
        let mut symbols = vec![0u16; usize::from(offsets[MAX_BITS + 1])];
        for (symbol, &len) in lengths.iter().enumerate() {
            if len != 0 {
                symbols[usize::from(offsets[usize::from(len)])] = symbol as u16;
                offsets[usize::from(len)] += 1;
            }
        }
        Some(Huffman { counts, symbols })
    }

    /// The next symbol of `bits` in this code.
    fn decode(&self, bits: &mut Bits<'_>) -> Option<u16> {
        // The first code of each length, and where its symbols start: codes
        // of one length are consecutive numbers (RFC 1951, 3.2.2).
        let (mut code, mut first, mut index) = (0i32, 0i32, 0i32);
        for &count in &self.counts[1..] {
            code |= bits.take(1)? as i32;
            let count = i32::from(count);
            if code - first < count {
                return self.symbols.get((index + code - first) as usize).copied();
            }
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        None
    }
}

/// The fixed codes of block type 1.
fn fixed_codes() -> (Huffman, Huffman) {
    let mut lengths = [0u8; 288];
    lengths[..144].fill(8);
    lengths[144..256].fill(9);
    lengths[256..280].fill(7);
    lengths[280..].fill(8);
    let literals = Huffman::new(&lengths).expect("the fixed literal code is complete");
    // 32 codes, of which 30 and 31 stand for no distance: so the code is complete.
    let distances = Huffman::new(&[5; 32]).expect("the fixed distance code is complete");
    (literals, distances)
}

/// The codes a dynamic block (type 2) starts with.
fn dynamic_codes(bits: &mut Bits<'_>) -> Option<(Huffman, Huffman)> {
    let literal_count = bits.take(5)? as usize + 257;
    let distance_count = bits.take(5)? as usize + 1;
    let length_code_count = bits.take(4)? as usize + 4;
    if literal_count > 286 || distance_count > 30 {
        return None;
    }
    let mut length_lengths = [0u8; 19];
    for &symbol in &CODE_LENGTH_ORDER[..length_code_count] {
        length_lengths[symbol] = bits.take(3)? as u8;
    }
    let length_code = Huffman::new(&length_lengths)?;
    let mut lengths = Vec::with_capacity(literal_count + distance_count);
    while lengths.len() < literal_count + distance_count {
        let (value, repeat) = match length_code.decode(bits)? {
            symbol @ 0..=15 => (symbol as u8, 1),
            16 => (*lengths.last()?, 3 + bits.take(2)?),
            17 => (0, 3 + bits.take(3)?),
            18 => (0, 11 + bits.take(7)?),
            _ => return None,
        };
        for _ in 0..repeat {
            lengths.push(value);
        }
    }
    // A repeat may not run past the distance lengths, and a block must be able to end.
    if lengths.len() != literal_count + distance_count || lengths[256] == 0 {
        return None;
    }
    let (literal_lengths, distance_lengths) = lengths.split_at(literal_count);
    Some((
        Huffman::new(literal_lengths)?,
        Huffman::new(distance_lengths)?,
    ))
}

/// A block's literals and copies, until its end symbol.
fn codes(
    bits: &mut Bits<'_>,
    literals: &Huffman,
    distances: &Huffman,
    out: &mut Vec<u8>,
    limit: usize,
) -> Option<()> {
    loop {
        let symbol = literals.decode(bits)?;
        if symbol < 256 {
            if out.len() >= limit {
                return None;
            }
            out.push(symbol as u8);
            continue;
        }
        if symbol == 256 {
            return Some(());
        }
        let at = usize::from(symbol - 257);
        let len =
            usize::from(*LENGTH_BASE.get(at)?) + bits.take(u32::from(LENGTH_EXTRA[at]))? as usize;
        let at = usize::from(distances.decode(bits)?);
        let distance = usize::from(*DISTANCE_BASE.get(at)?)
            + bits.take(u32::from(DISTANCE_EXTRA[at]))? as usize;
        if distance > out.len() || out.len() + len > limit {
            return None;
        }
        // Byte by byte: a copy may overlap what it writes (a run).
        let from = out.len() - distance;
        for i in 0..len {
            out.push(out[from + i]);
        }
    }
}

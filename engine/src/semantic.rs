//! A latent semantic index, learned from the corpus at build time, that
//! reorders the candidates of a long question.
//!
//! Words alone leave a plateau: on Cranfield every lexical ranking measured
//! (BM25F, DFR, query likelihood, proximity, …) stays near nDCG@10 0.376
//! (BENCHMARKS.md, "What was tuned"). Documents about the same thing share
//! vocabulary with each other even where they share little with the question,
//! and a truncated SVD of the term × document matrix captures that. With it,
//! Cranfield is at 0.411 and CISI at 0.448 (from 0.376 and 0.429).
//!
//! - **Build** ([`learn`]): each cell of the matrix is (1 + ln tf~) · ln(N / df),
//!   tf~ = 3 · title tf + body tf (a title occurrence counts as the BM25F
//!   title weight does). A randomized SVD (Halko, Martinsson & Tropp 2011) of
//!   rank [`DIMENSIONS`] gives each document its row of V·Σ, stored as a unit
//!   vector in 8 bits. The term vectors U and the σ are not stored: the
//!   search needs neither.
//! - **Search** ([`Semantic::blend`]): the question's semantic vector is the
//!   BM25F-weighted sum of its [`FEEDBACK_DOCUMENTS`] best documents' vectors
//!   (pseudo-relevance feedback in the latent space), and each of the
//!   [`RERANK_DEPTH`] best candidates (in rank order: those with every word
//!   first, then by BM25F) scores
//!   (1 − w) · BM25F / best BM25F + w · max(cosine, 0), w being
//!   [`Bm25fParams::semantic_weight`](crate::Bm25fParams::semantic_weight).
//!   Candidates stay the documents that match a word: the blend reorders
//!   them, and never adds or drops one.
//!
//! It applies only to queries of [`MIN_QUERY_WORDS`] distinct words that count
//! (stop words aside): keyword queries, and words being typed into a search
//! box, keep their lexical order, in which an exact spelling outranks a typo.

use std::cmp::Reverse;

use crate::order::Ranked;

/// Dimensions of the latent space, at most; a corpus of N documents gets N / 8.
/// Only learning reads it (the `build` feature); it stays beside the other
/// constants of the design.
#[cfg_attr(not(feature = "build"), allow(dead_code))]
pub const DIMENSIONS: usize = 80;
/// Best BM25F documents whose vectors make the question's.
pub const FEEDBACK_DOCUMENTS: usize = 5;
/// Best candidates by BM25F that the semantic score reorders.
pub const RERANK_DEPTH: usize = 100;
/// Distinct words that count a query needs before the semantic score applies.
pub const MIN_QUERY_WORDS: u32 = 4;
/// A document's vector has 8-bit components: unit vector × this, rounded.
const QUANTUM: f32 = 127.0;

/// The learned document vectors. Absent from an index of fewer than 8 documents.
#[derive(Debug, Clone, PartialEq)]
pub struct Semantic {
    /// Dimensions of each vector; at least 1.
    pub(crate) dims: usize,
    /// Each document's row of V·Σ as a unit vector × [`QUANTUM`], `dims` per
    /// document; signed bytes, kept as `u8` so decoding is a copy.
    pub(crate) vectors: Vec<u8>,
}

impl Semantic {
    fn vector(&self, doc: u32) -> &[u8] {
        let start = doc as usize * self.dims;
        &self.vectors[start..start + self.dims]
    }

    /// Blends the semantic score into the BM25F scores of `best`, the best
    /// candidates in rank order: the first [`FEEDBACK_DOCUMENTS`] make the
    /// question's vector, and the first [`RERANK_DEPTH`] get a semantic score.
    /// Every score is first scaled to (1 − `weight`) × its share of the best,
    /// so that those further down keep their BM25F share alone: they rank
    /// below these anyway, and a cosine for every candidate would cost
    /// milliseconds on 20,000 documents.
    pub(crate) fn blend(&self, best: &mut [Reverse<Ranked>], weight: f32) {
        let top_score = best.iter().fold(0f32, |top, r| top.max(r.0.score));
        if top_score <= 0.0 {
            return;
        }

        let mut query = vec![0f32; self.dims];
        for Reverse(ranked) in best.iter().take(FEEDBACK_DOCUMENTS) {
            for (q, &v) in query.iter_mut().zip(self.vector(ranked.doc)) {
                *q += ranked.score * f32::from(v as i8);
            }
        }
        let norm = query.iter().map(|q| q * q).sum::<f32>().sqrt() * QUANTUM;
        for (rank, Reverse(ranked)) in best.iter_mut().enumerate() {
            // A matched document keeps a score above zero (see `Index::rank`).
            ranked.score = (ranked.score * (1.0 - weight) / top_score).max(f32::MIN_POSITIVE);
            if rank < RERANK_DEPTH && norm > 0.0 {
                let dot: f32 = query
                    .iter()
                    .zip(self.vector(ranked.doc))
                    .map(|(q, &v)| q * f32::from(v as i8))
                    .sum();
                ranked.score += weight * (dot / norm).max(0.0);
            }
        }
    }
}

#[cfg(feature = "build")]
pub(crate) use learn::{learn, learn_from_rows, row_of, Row, Rows};

/// Learning the vectors: indexing only. Hand-written rather than a
/// linear-algebra crate: it needs only a QR by Gram–Schmidt and a small
/// symmetric eigensolver, about 100 lines, where nalgebra or faer would add a
/// large dependency to every build of the module for them.
#[cfg(feature = "build")]
mod learn {
    use std::io;

    use super::{Semantic, DIMENSIONS, QUANTUM};

    const OVERSAMPLING: usize = 10;
    const POWER_ITERATIONS: usize = 2;
    /// A title occurrence counts this many times in the matrix (the BM25F title weight).
    const TITLE_REPEAT: u32 = 3;

    /// The rows of the term-document matrix, term by term in term order:
    /// (document, cell) per posting ([`row_of`]). Read once per power
    /// iteration, so they may live on disk (the streaming build's) rather
    /// than in memory: 8 bytes a cell, as many cells as postings.
    /// A row of the matrix: (document, cell) per posting of one term.
    pub(crate) type Row = [(u32, f32)];

    pub(crate) trait Rows {
        /// Calls `each` with every row, in the same order every time.
        fn for_each_row(&mut self, each: &mut dyn FnMut(&Row)) -> io::Result<()>;
    }

    impl Rows for Vec<Vec<(u32, f32)>> {
        fn for_each_row(&mut self, each: &mut dyn FnMut(&Row)) -> io::Result<()> {
            self.iter().for_each(|row| each(row));
            Ok(())
        }
    }

    /// A term's row of the matrix of a corpus of `n` documents, from its
    /// postings as (document, title tf, body tf).
    pub(crate) fn row_of(
        n: usize,
        postings: impl ExactSizeIterator<Item = (u32, u32, u32)>,
    ) -> Vec<(u32, f32)> {
        let idf = (n as f64 / postings.len().max(1) as f64).ln();
        postings
            .map(|(doc, title_tf, body_tf)| {
                let tf = TITLE_REPEAT * title_tf + body_tf;
                (doc, ((1.0 + f64::from(tf).ln()) * idf) as f32)
            })
            .collect()
    }

    /// The document vectors of a corpus of `n` documents, from each term's
    /// postings as (document, title tf, body tf); None below 8 documents.
    pub(crate) fn learn<P: ExactSizeIterator<Item = (u32, u32, u32)>>(
        n: usize,
        postings_by_term: impl Iterator<Item = P>,
    ) -> Option<Semantic> {
        if DIMENSIONS.min(n / 8) == 0 {
            return None;
        }
        let mut rows: Vec<Vec<(u32, f32)>> = postings_by_term
            .map(|postings| row_of(n, postings))
            .filter(|row| !row.is_empty())
            .collect();
        learn_from_rows(n, &mut rows).expect("rows in memory are always read")
    }

    /// The document vectors of a corpus of `n` documents from the rows of
    /// its matrix; None below 8 documents. Besides the rows, it holds two
    /// matrices of `n` × 90 f64s (about 1.4 KB a document).
    pub(crate) fn learn_from_rows(n: usize, rows: &mut dyn Rows) -> io::Result<Option<Semantic>> {
        let dims = DIMENSIONS.min(n / 8);
        if dims == 0 {
            return Ok(None);
        }
        let width = (dims + OVERSAMPLING).min(n);
        // Aᵀ·A·X, for X with n rows and `width` columns, row-major.
        let mut gram_times = |x: &[f64]| -> io::Result<Vec<f64>> {
            let mut out = vec![0.0; n * width];
            let mut row_times_x = vec![0.0; width];
            rows.for_each_row(&mut |row| {
                row_times_x.fill(0.0);
                for &(doc, cell) in row {
                    let (doc, cell) = (doc as usize, f64::from(cell));
                    for (r, &v) in row_times_x.iter_mut().zip(&x[doc * width..][..width]) {
                        *r += cell * v;
                    }
                }
                for &(doc, cell) in row {
                    let (doc, cell) = (doc as usize, f64::from(cell));
                    for (o, &r) in out[doc * width..][..width].iter_mut().zip(&row_times_x) {
                        *o += cell * r;
                    }
                }
            })?;
            Ok(out)
        };

        // A fixed seed: the same corpus always gives the same module.
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut basis: Vec<f64> = (0..n * width)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
            })
            .collect();
        orthonormalize(&mut basis, n, width);
        for _ in 0..=POWER_ITERATIONS {
            basis = gram_times(&basis)?;
            orthonormalize(&mut basis, n, width);
        }
        // Qᵀ·Aᵀ·A·Q: its eigenvectors turn the basis into right singular
        // vectors, its eigenvalues are the σ².
        let projected = gram_times(&basis)?;
        let mut small = vec![0.0; width * width];
        for (row, projected_row) in basis.chunks_exact(width).zip(projected.chunks_exact(width)) {
            for (&b, small_row) in row.iter().zip(small.chunks_exact_mut(width)) {
                for (s, &p) in small_row.iter_mut().zip(projected_row) {
                    *s += b * p;
                }
            }
        }
        let (eigenvalues, eigenvectors) = symmetric_eigen(small, width);
        let mut order: Vec<usize> = (0..width).collect();
        order.sort_by(|&a, &b| eigenvalues[b].total_cmp(&eigenvalues[a]));
        let largest = eigenvalues[order[0]];
        // Dimensions with no weight (a corpus with fewer distinct documents
        // than dimensions) carry nothing but bytes: leave them out.
        let kept: Vec<usize> = order
            .into_iter()
            .take(dims)
            .filter(|&i| eigenvalues[i] > largest * 1e-9 && eigenvalues[i] > 0.0)
            .collect();
        if kept.is_empty() {
            return Ok(None);
        }

        let mut vectors = Vec::with_capacity(n * kept.len());
        for d in 0..n {
            let row: Vec<f64> = kept
                .iter()
                .map(|&i| {
                    let v: f64 = (0..width)
                        .map(|j| basis[d * width + j] * eigenvectors[j * width + i])
                        .sum();
                    v * eigenvalues[i].sqrt()
                })
                .collect();
            let length = row.iter().map(|v| v * v).sum::<f64>().sqrt();
            for v in row {
                let unit = if length > 0.0 { v / length } else { 0.0 };
                vectors.push((unit * f64::from(QUANTUM)).round() as i8 as u8);
            }
        }
        Ok(Some(Semantic {
            dims: kept.len(),
            vectors,
        }))
    }

    /// Orthonormalizes the columns of a row-major n × w matrix by classical
    /// Gram–Schmidt, each column projected twice (as stable as the modified
    /// method, and it reads the matrix by rows, which is several times faster
    /// on 50,000 rows). A column that depends on the others becomes zero.
    fn orthonormalize(m: &mut [f64], n: usize, w: usize) {
        let mut dots = vec![0.0; w];
        for j in 0..w {
            for _ in 0..2 {
                dots[..j].fill(0.0);
                for row in m.chunks_exact(w).take(n) {
                    for (dot, &v) in dots[..j].iter_mut().zip(row) {
                        *dot += v * row[j];
                    }
                }
                for row in m.chunks_exact_mut(w).take(n) {
                    let projection: f64 = dots[..j].iter().zip(&row[..j]).map(|(d, v)| d * v).sum();
                    row[j] -= projection;
                }
            }
            let norm = m
                .chunks_exact(w)
                .map(|row| row[j] * row[j])
                .sum::<f64>()
                .sqrt();
            for row in m.chunks_exact_mut(w) {
                row[j] = if norm > 1e-12 { row[j] / norm } else { 0.0 };
            }
        }
    }

    /// Eigenvalues and eigenvectors (as columns) of a symmetric w × w matrix,
    /// by cyclic Jacobi rotations.
    pub(super) fn symmetric_eigen(mut a: Vec<f64>, w: usize) -> (Vec<f64>, Vec<f64>) {
        let mut v = vec![0.0; w * w];
        for i in 0..w {
            v[i * w + i] = 1.0;
        }
        let total: f64 = a.iter().map(|x| x * x).sum();
        for _sweep in 0..100 {
            let off: f64 = (0..w)
                .flat_map(|i| (0..w).filter(move |&j| j != i).map(move |j| i * w + j))
                .map(|at| a[at] * a[at])
                .sum();
            if off <= total * 1e-30 {
                break;
            }
            for p in 0..w {
                for q in p + 1..w {
                    let apq = a[p * w + q];
                    if apq == 0.0 {
                        continue;
                    }
                    let theta = (a[q * w + q] - a[p * w + p]) / (2.0 * apq);
                    let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                    let c = 1.0 / (t * t + 1.0).sqrt();
                    let s = t * c;
                    for k in 0..w {
                        let (kp, kq) = (a[k * w + p], a[k * w + q]);
                        a[k * w + p] = c * kp - s * kq;
                        a[k * w + q] = s * kp + c * kq;
                    }
                    for k in 0..w {
                        let (pk, qk) = (a[p * w + k], a[q * w + k]);
                        a[p * w + k] = c * pk - s * qk;
                        a[q * w + k] = s * pk + c * qk;
                    }
                    for k in 0..w {
                        let (kp, kq) = (v[k * w + p], v[k * w + q]);
                        v[k * w + p] = c * kp - s * kq;
                        v[k * w + q] = s * kp + c * kq;
                    }
                }
            }
        }
        ((0..w).map(|i| a[i * w + i]).collect(), v)
    }
}

#[cfg(all(test, feature = "build"))]
mod tests {
    use super::learn::symmetric_eigen;

    #[test]
    fn eigen_decomposition_of_a_known_matrix() {
        // Eigenvalues 1, 3 (the upper 2 × 2 block) and 5.
        let matrix = vec![2.0, 1.0, 0.0, 1.0, 2.0, 0.0, 0.0, 0.0, 5.0];
        let (values, vectors) = symmetric_eigen(matrix.clone(), 3);
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        for (got, want) in sorted.iter().zip([1.0, 3.0, 5.0]) {
            assert!((got - want).abs() < 1e-9, "{values:?}");
        }
        // A · v = λ · v for each eigenvector (a column).
        for (k, &value) in values.iter().enumerate() {
            for i in 0..3 {
                let product: f64 = (0..3).map(|j| matrix[i * 3 + j] * vectors[j * 3 + k]).sum();
                assert!((product - value * vectors[i * 3 + k]).abs() < 1e-9);
            }
        }
    }
}

//! The SSE2 pieces the tagger's byte scans share (x86-64 only; every x86-64 processor
//! has SSE2). Callers are `#[target_feature(enable = "sse2")]` functions too, so these
//! are safe to call from them.

use std::arch::x86_64::{__m128i, _mm_add_epi8, _mm_cmplt_epi8, _mm_loadu_si128, _mm_set1_epi8};

/// Sixteen bytes as one vector.
#[target_feature(enable = "sse2")]
pub(super) fn load(sixteen: &[u8; 16]) -> __m128i {
    // SAFETY: `sixteen` holds sixteen bytes, and the load needs no alignment.
    unsafe { _mm_loadu_si128(sixteen.as_ptr().cast()) }
}

/// Which bytes of `v` are from `lo` to `hi` (0xff for yes, 0 for no). Shifted so that
/// `lo` becomes -128, they are the (signed) bytes up to -128 + hi - lo: one addition
/// and one comparison.
#[target_feature(enable = "sse2")]
pub(super) fn in_range(v: __m128i, lo: u8, hi: u8) -> __m128i {
    let shifted = _mm_add_epi8(v, _mm_set1_epi8(0x80u8.wrapping_sub(lo) as i8));
    _mm_cmplt_epi8(
        shifted,
        _mm_set1_epi8(0x80u8.wrapping_add(hi - lo + 1) as i8),
    )
}

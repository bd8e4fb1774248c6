//! [`Name`]: the immutable string the IR uses for opcodes, modifiers, registers, labels and
//! symbols in operands.
//!
//! Why not `String`: a typical instruction carries 5–12 of these, and with `String` each is a
//! heap allocation (and a free when the module is dropped). Profiling the parser on the GGML
//! corpus showed malloc/free and the kernel zeroing fresh pages for them taking over half of
//! the parse time. Nearly all such names are short (`%rd123`, `global`, `$L__BB0_12`), so
//! `Name` keeps up to [`Name::INLINE`] bytes inside itself — same size as a `String` — and only
//! longer ones (mangled function names) go to the heap.
//!
//! It reads like a `&str` (`Deref`, `AsRef<str>`, `Borrow<str>`, comparisons with `str`,
//! `&str` and `String`, `Display`, and `Debug` exactly like a string's), so code that only
//! reads names does not care that it is not a `String`.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

#[derive(Clone)]
pub struct Name(Repr);

#[derive(Clone)]
enum Repr {
    /// Invariant: `buf[..len]` is valid UTF-8 (copied from a `&str`), `len <= INLINE`.
    Inline { len: u8, buf: [u8; Name::INLINE] },
    Heap(Box<str>),
}

impl Name {
    /// The longest name kept without a heap allocation.
    pub const INLINE: usize = 22;

    pub fn new(s: &str) -> Name {
        if s.len() <= Name::INLINE {
            let mut buf = [0u8; Name::INLINE];
            buf[..s.len()].copy_from_slice(s.as_bytes());
            Name(Repr::Inline { len: s.len() as u8, buf })
        } else {
            Name(Repr::Heap(s.into()))
        }
    }

    /// `tok` as a name, where `window` starts at `tok` and goes on past it (the rest of the
    /// source text the parser reads). A short token is copied as a fixed-size block of
    /// [`Name::INLINE`] bytes (two vector moves instead of a `memcpy` call of variable length;
    /// the bytes past the token are never read). Falls back to [`Name::new`] otherwise.
    #[inline]
    pub fn from_token(tok: &str, window: &str) -> Name {
        let w = window.as_bytes();
        if tok.len() <= Name::INLINE && w.len() >= Name::INLINE && w.as_ptr() == tok.as_ptr() {
            let mut buf = [0u8; Name::INLINE];
            buf.copy_from_slice(&w[..Name::INLINE]);
            // `buf[..len]` is `tok`: valid UTF-8.
            Name(Repr::Inline { len: tok.len() as u8, buf })
        } else {
            Name::new(tok)
        }
    }

    #[inline]
    pub fn as_str(&self) -> &str {
        match &self.0 {
            // SAFETY: `buf[..len]` is a copy of a `&str`'s bytes (`new`, `from_token`).
            Repr::Inline { len, buf } => unsafe { std::str::from_utf8_unchecked(&buf[..*len as usize]) },
            Repr::Heap(s) => s,
        }
    }
}

impl Default for Name {
    fn default() -> Name {
        Name::new("")
    }
}

impl Deref for Name {
    type Target = str;
    #[inline]
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Name {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Name {
    fn from(s: &str) -> Name {
        Name::new(s)
    }
}

impl From<&String> for Name {
    fn from(s: &String) -> Name {
        Name::new(s)
    }
}

impl From<String> for Name {
    fn from(s: String) -> Name {
        if s.len() <= Name::INLINE {
            Name::new(&s)
        } else {
            Name(Repr::Heap(s.into_boxed_str()))
        }
    }
}

impl From<Name> for String {
    fn from(n: Name) -> String {
        match n.0 {
            Repr::Heap(s) => s.into_string(),
            Repr::Inline { .. } => n.as_str().to_string(),
        }
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq for Name {
    fn eq(&self, o: &Name) -> bool {
        self.as_str() == o.as_str()
    }
}
impl Eq for Name {}

impl PartialEq<str> for Name {
    fn eq(&self, o: &str) -> bool {
        self.as_str() == o
    }
}
impl PartialEq<&str> for Name {
    fn eq(&self, o: &&str) -> bool {
        self.as_str() == *o
    }
}
impl PartialEq<String> for Name {
    fn eq(&self, o: &String) -> bool {
        self.as_str() == o.as_str()
    }
}
impl PartialEq<Name> for str {
    fn eq(&self, o: &Name) -> bool {
        self == o.as_str()
    }
}
impl PartialEq<Name> for &str {
    fn eq(&self, o: &Name) -> bool {
        *self == o.as_str()
    }
}
impl PartialEq<Name> for String {
    fn eq(&self, o: &Name) -> bool {
        self.as_str() == o.as_str()
    }
}

impl PartialOrd for Name {
    fn partial_cmp(&self, o: &Name) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Name {
    fn cmp(&self, o: &Name) -> Ordering {
        self.as_str().cmp(o.as_str())
    }
}

impl Hash for Name {
    // Must hash like `str` (Borrow<str>: maps keyed by Name are looked up with &str).
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.as_str().hash(h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_names_read_back() {
        for s in ["", "%r1", "shared::cta", "exactly_22_bytes_long_", "twenty-three bytes long", "_Z25mul_mat_q_stream_k_fixupIL9ggml_type39ELi128ELb0EEvPKiS2_PfPKfS5_"] {
            let n = Name::new(s);
            assert_eq!(n.as_str(), s);
            assert_eq!(n, s);
            assert_eq!(String::from(n.clone()), s);
            assert_eq!(Name::from(s.to_string()), n);
            assert_eq!(format!("{n:?}"), format!("{s:?}"));
        }
        assert_eq!(std::mem::size_of::<Name>(), std::mem::size_of::<String>());
        assert!(matches!(Name::new("exactly_22_bytes_long_").0, Repr::Inline { .. }));
        assert!(matches!(Name::new("twenty-three bytes long").0, Repr::Heap(_)));
    }

    #[test]
    fn from_token_reads_only_the_token() {
        let text = "%rd12, [%rd3+8]; // and a long tail of source text";
        let n = Name::from_token(&text[..5], text);
        assert_eq!(n, "%rd12");
        assert_eq!(n, Name::new("%rd12"));
        let mut h1 = std::collections::hash_map::DefaultHasher::new();
        let mut h2 = std::collections::hash_map::DefaultHasher::new();
        n.hash(&mut h1);
        "%rd12".hash(&mut h2);
        assert_eq!(h1.finish(), h2.finish());
        // Too little text after the token, or a window elsewhere: still the token.
        assert_eq!(Name::from_token(&text[text.len() - 4..], &text[text.len() - 4..]), "text");
        assert_eq!(Name::from_token("abc", text), "abc");
    }

    #[test]
    fn hashes_like_str() {
        let mut m = std::collections::HashMap::new();
        m.insert(Name::new("%rd7"), 1);
        m.insert(Name::new("a_rather_long_symbol_name_on_the_heap"), 2);
        assert_eq!(m.get("%rd7"), Some(&1));
        assert_eq!(m.get("a_rather_long_symbol_name_on_the_heap"), Some(&2));
    }
}

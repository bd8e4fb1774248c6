//! The one error type of the crate.
//!
//! Every way a container can be malformed maps to an [`Error`] instead of a panic: the bytes
//! come from programs we do not control (a CUDA application hands the driver a pointer, the
//! CLI reads any file), so a bad size field must never turn into an out-of-bounds read.
//! The driver maps all of these to `CUDA_ERROR_INVALID_IMAGE`; the messages are written for
//! the person reading the log.

use std::fmt;

/// The compression scheme of an entry payload (see [`crate::flags`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Compression {
    /// A raw LZ4 block (no frame header), flag `0x2000`.
    Lz4,
    /// A standard zstd frame, flag `0x8000`.
    Zstd,
}

impl fmt::Display for Compression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Compression::Lz4 => "LZ4",
            Compression::Zstd => "zstd",
        })
    }
}

/// Why a container, entry or image could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A structure or region reaches past the end of the bytes available for it.
    Truncated {
        /// What was being read, e.g. "entry header".
        what: &'static str,
        /// Where it starts, relative to the start of the enclosing buffer.
        offset: u64,
        /// How many bytes it needs.
        needed: u64,
        /// How many bytes are there from `offset` on.
        available: u64,
    },
    /// A magic number did not match.
    BadMagic {
        /// What was expected, e.g. "fatbin header".
        what: &'static str,
        /// The value found.
        found: u32,
    },
    /// A field has a value this reader cannot make sense of (a header smaller than its
    /// fixed part, an offset pointing outside its header, …).
    Malformed {
        /// Which structure.
        what: &'static str,
        /// What is wrong with it.
        detail: String,
    },
    /// Decompressing an entry payload failed or gave the wrong number of bytes.
    Decompress {
        /// The codec named by the entry flags.
        codec: Compression,
        /// The codec's complaint.
        detail: String,
    },
    /// The operation needs a PTX entry (e.g. [`crate::Entry::ptx_text`]).
    NotPtx,
    /// PTX text is not valid UTF-8.
    PtxNotUtf8 {
        /// Byte offset of the first invalid sequence.
        valid_up_to: usize,
    },
    /// The image is none of: fatbin wrapper, fatbin, cubin ELF, PTX text.
    UnknownImage {
        /// Its first (up to 4) bytes, for the log.
        first_bytes: Vec<u8>,
    },
    /// A host binary could not be read, or is of a kind that holds no fatbin sections.
    HostFile(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Truncated { what, offset, needed, available } => write!(
                f,
                "truncated {what} at offset {offset:#x}: needs {needed} bytes, {available} available"
            ),
            Error::BadMagic { what, found } => write!(f, "bad {what} magic {found:#010x}"),
            Error::Malformed { what, detail } => write!(f, "malformed {what}: {detail}"),
            Error::Decompress { codec, detail } => {
                write!(f, "{codec} decompression of entry payload failed: {detail}")
            }
            Error::NotPtx => f.write_str("entry is not a PTX entry"),
            Error::PtxNotUtf8 { valid_up_to } => {
                write!(f, "PTX text is not UTF-8 (invalid byte at offset {valid_up_to})")
            }
            Error::UnknownImage { first_bytes } => write!(
                f,
                "not a fatbin wrapper, fatbin, cubin or PTX text (starts with {first_bytes:02x?})"
            ),
            Error::HostFile(msg) => write!(f, "cannot read fatbins from file: {msg}"),
        }
    }
}

impl std::error::Error for Error {}

/// Bounds-checked little-endian reads on a byte slice; offsets are reported relative to
/// the slice (callers add their base where it helps the message).
pub(crate) struct Reader<'a> {
    pub bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes }
    }

    /// `len` bytes at `offset`, or a `Truncated` error naming `what`.
    pub fn slice(&self, what: &'static str, offset: u64, len: u64) -> Result<&'a [u8], Error> {
        let available = (self.bytes.len() as u64).saturating_sub(offset);
        let end = offset.checked_add(len);
        match end {
            Some(end) if end <= self.bytes.len() as u64 => {
                Ok(&self.bytes[offset as usize..end as usize])
            }
            _ => Err(Error::Truncated { what, offset, needed: len, available }),
        }
    }

    pub fn u16(&self, what: &'static str, offset: u64) -> Result<u16, Error> {
        let b = self.slice(what, offset, 2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    pub fn u32(&self, what: &'static str, offset: u64) -> Result<u32, Error> {
        let b = self.slice(what, offset, 4)?;
        Ok(u32::from_le_bytes(b.try_into().expect("4 bytes")))
    }

    pub fn u64(&self, what: &'static str, offset: u64) -> Result<u64, Error> {
        let b = self.slice(what, offset, 8)?;
        Ok(u64::from_le_bytes(b.try_into().expect("8 bytes")))
    }
}

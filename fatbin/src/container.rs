//! The fatbin container itself: a 16-byte header followed by entries, one per PTX or
//! ELF (cubin) image.
//!
//! Layout, as nvcc 13.x writes it (measured; see `shared/notes/fatbin-format.md`):
//!
//! ```text
//! fatbin header (16 bytes)          entry header (header_size bytes, >= 0x40)
//! 0x00 u32 magic 0xBA55ED50         0x00 u16 kind: 1 PTX, 2 ELF
//! 0x04 u16 version (1)              0x02 u16 entry format version (0x0101)
//! 0x06 u16 header size (0x10)       0x04 u32 header size (0x40 … 0x88 seen)
//! 0x08 u64 payload size             0x08 u64 padded payload size
//!                                   0x10 u32 stored (compressed) size, 0 if not compressed
//!                                   0x14 u32 offset of an (offset u32, length u32) pair
//!                                            locating the options block; 0 = none
//!                                   0x18 u16 code version minor, u16 major
//!                                   0x1c u32 arch (75 = sm_75 / compute_75)
//!                                   0x20 u32 name offset, u32 name length (source file
//!                                            name in `-G` builds; else 0, 0)
//!                                   0x28 u64 flags (see [`crate::flags`])
//!                                   0x30 u64 zero
//!                                   0x38 u64 uncompressed size, 0 if not compressed
//!                                   0x40 …   options pair, options block, name
//! ```
//!
//! The payload follows the entry header; the next entry starts `header_size + padded_size`
//! bytes after the current one. All offsets inside an entry header are relative to the
//! start of the entry. The header size varies (PTX with options, `-G` builds with a name,
//! sm_100+ cubins with a binary attribute block), so it is always read from the field.

use std::borrow::Cow;
use std::fmt;
use std::io::Read;

use crate::error::{Compression, Error, Reader};
use crate::flags;

/// Magic number of a fatbin header (`50 ed 55 ba` in memory).
pub const FATBIN_MAGIC: u32 = 0xBA55_ED50;
/// Magic of the pre-CUDA-4 "old style" fatbin, recognised only to reject it clearly.
pub const OLD_FATBIN_MAGIC: u32 = 0x1EE5_5A01;

const FATBIN_HEADER_SIZE: u64 = 16;
const ENTRY_FIXED_HEADER_SIZE: u64 = 0x40;
/// An LZ4 block cannot expand by more than 255x (one token byte per 255 literal-length
/// bytes); a bigger claimed uncompressed size is corrupt and would only make us allocate.
const LZ4_MAX_RATIO: u64 = 255;

/// What an entry holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EntryKind {
    /// PTX assembly text (NUL-terminated after decompression).
    Ptx,
    /// A cubin: an ELF64 file with SASS for one GPU architecture.
    Elf,
    /// A kind this reader does not know; the entry is kept so that listings stay complete.
    Unknown(u16),
}

impl EntryKind {
    fn from_raw(kind: u16) -> Self {
        match kind {
            1 => EntryKind::Ptx,
            2 => EntryKind::Elf,
            other => EntryKind::Unknown(other),
        }
    }
}

impl fmt::Display for EntryKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EntryKind::Ptx => f.write_str("PTX"),
            EntryKind::Elf => f.write_str("ELF"),
            EntryKind::Unknown(k) => write!(f, "kind {k}"),
        }
    }
}

/// Which devices an entry's code is for, from the flag bits nvcc sets for `sm_90a`-style
/// (arch-specific) and `sm_100f`-style (family-specific) targets. The `arch` field holds
/// only the number (90, 100); the letter is in the flags.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ArchVariant {
    /// `compute_XY` / `sm_XY`: PTX runs on every device with compute capability ≥ X.Y.
    Generic,
    /// `compute_XYf` / `sm_XYf` ([`flags::FAMILY_SPECIFIC`]): only on devices of the same
    /// major version with capability ≥ X.Y.
    Family,
    /// `compute_XYa` / `sm_XYa` ([`flags::ARCH_SPECIFIC`]): only on exactly X.Y.
    Specific,
}

impl ArchVariant {
    /// The letter nvcc appends to the target name ("", "f", "a").
    pub fn suffix(self) -> &'static str {
        match self {
            ArchVariant::Generic => "",
            ArchVariant::Family => "f",
            ArchVariant::Specific => "a",
        }
    }
}

/// One PTX or ELF image inside a fatbin, borrowing its payload from the container bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry<'a> {
    /// PTX, ELF or unknown.
    pub kind: EntryKind,
    /// Entry format version (0x0101 in every entry seen).
    pub format_version: u16,
    /// Size of this entry's header; the payload starts here.
    pub header_size: u32,
    /// Bytes reserved for the payload (stored size rounded up to 8); the next entry starts
    /// at `header_size + padded_size`.
    pub padded_size: u64,
    /// Compressed size of the payload; 0 when not compressed.
    pub stored_size: u32,
    /// ptxas options nvcc recorded for JIT compilation of a PTX entry (e.g.
    /// `-O2 --maxrregcount=32`, ` -g --dont-merge-basicblocks --return-at-end` for `-G`),
    /// trailing NULs removed; empty when none or for ELF entries, whose options block is
    /// binary (see [`Entry::header`]).
    pub options: String,
    /// The identifier (source file name as given to nvcc, e.g. `./sub/k.cu`) that `-G`
    /// builds record; usually empty.
    pub name: String,
    /// (major, minor): the PTX ISA version for PTX entries (9.5 for nvcc 13.5), the cubin
    /// ELF format version for ELF entries (1.8).
    pub code_version: (u16, u16),
    /// Architecture number: 75 for `sm_75`/`compute_75`. The `a`/`f` letter is in `flags`.
    pub arch: u32,
    /// Flag bits, see [`crate::flags`]; unknown bits are kept and otherwise ignored.
    pub flags: u64,
    /// Size after decompression; 0 when not compressed.
    pub uncompressed_size: u64,
    /// The payload as stored: the compressed bytes (`stored_size` long) for a compressed
    /// entry, else the whole padded region (which may end in NUL padding).
    pub payload: &'a [u8],
    /// The whole entry header (`header_size` bytes), for fields this crate does not
    /// interpret (e.g. the binary attribute block of sm_100+ cubin entries).
    pub header: &'a [u8],
}

impl<'a> Entry<'a> {
    /// Parses the entry at the start of `bytes` (the rest of the fatbin payload) and
    /// returns it with the number of bytes it occupies. `base` is the offset of `bytes`
    /// in the caller's buffer, used only in error messages.
    fn parse(bytes: &'a [u8], base: u64) -> Result<(Entry<'a>, u64), Error> {
        let at = |e: Error| relocate(e, base);
        let r = Reader::new(bytes);
        let fixed = r.slice("entry header", 0, ENTRY_FIXED_HEADER_SIZE).map_err(at)?;
        let f = Reader::new(fixed);
        let kind = EntryKind::from_raw(f.u16("", 0x00)?);
        let format_version = f.u16("", 0x02)?;
        let header_size = f.u32("", 0x04)?;
        let padded_size = f.u64("", 0x08)?;
        let stored_size = f.u32("", 0x10)?;
        let options_pair_offset = f.u32("", 0x14)?;
        let minor = f.u16("", 0x18)?;
        let major = f.u16("", 0x1a)?;
        let arch = f.u32("", 0x1c)?;
        let name_offset = f.u32("", 0x20)?;
        let name_len = f.u32("", 0x24)?;
        let flags = f.u64("", 0x28)?;
        let uncompressed_size = f.u64("", 0x38)?;

        if u64::from(header_size) < ENTRY_FIXED_HEADER_SIZE {
            return Err(Error::Malformed {
                what: "entry header",
                detail: format!(
                    "header size {header_size:#x} at offset {base:#x} is smaller than the fixed {ENTRY_FIXED_HEADER_SIZE:#x} bytes"
                ),
            });
        }
        let header = r.slice("entry header", 0, header_size.into()).map_err(at)?;
        let region = r.slice("entry payload", header_size.into(), padded_size).map_err(at)?;
        let hr = Reader::new(header);

        let options_block: &[u8] = if options_pair_offset == 0 {
            &[]
        } else {
            let off = hr.u32("options descriptor", options_pair_offset.into()).map_err(at)?;
            let len = hr.u32("options descriptor", u64::from(options_pair_offset) + 4).map_err(at)?;
            hr.slice("options block", off.into(), len.into()).map_err(at)?
        };
        let options = match kind {
            EntryKind::Ptx => text_field(options_block),
            _ => String::new(),
        };
        let name = if name_len == 0 {
            String::new()
        } else {
            text_field(hr.slice("entry name", name_offset.into(), name_len.into()).map_err(at)?)
        };

        let compressed = flags & (flags::COMPRESSED_LZ4 | flags::COMPRESSED_ZSTD) != 0;
        let payload = if compressed {
            if u64::from(stored_size) > padded_size {
                return Err(Error::Malformed {
                    what: "entry header",
                    detail: format!(
                        "stored size {stored_size:#x} exceeds padded size {padded_size:#x} (entry at {base:#x})"
                    ),
                });
            }
            &region[..stored_size as usize]
        } else {
            region
        };

        let entry = Entry {
            kind,
            format_version,
            header_size,
            padded_size,
            stored_size,
            options,
            name,
            code_version: (major, minor),
            arch,
            flags,
            uncompressed_size,
            payload,
            header,
        };
        Ok((entry, u64::from(header_size) + padded_size))
    }

    /// The compression of the payload, if any. An entry with both compression bits set is
    /// reported as zstd here and rejected by [`Entry::data`].
    pub fn compression(&self) -> Option<Compression> {
        if self.flags & flags::COMPRESSED_ZSTD != 0 {
            Some(Compression::Zstd)
        } else if self.flags & flags::COMPRESSED_LZ4 != 0 {
            Some(Compression::Lz4)
        } else {
            None
        }
    }

    /// Whether the payload is compressed (LZ4 or zstd).
    pub fn is_compressed(&self) -> bool {
        self.compression().is_some()
    }

    /// Generic, family- or arch-specific target, from the flags.
    pub fn arch_variant(&self) -> ArchVariant {
        if self.flags & flags::ARCH_SPECIFIC != 0 {
            ArchVariant::Specific
        } else if self.flags & flags::FAMILY_SPECIFIC != 0 {
            ArchVariant::Family
        } else {
            ArchVariant::Generic
        }
    }

    /// The nvcc target name of the entry: `compute_75` for PTX, `sm_75` for ELF, with the
    /// `a`/`f` suffix of arch- and family-specific targets (`compute_90a`, `sm_100f`).
    /// Unknown kinds use `sm_`. (cuobjdump's file names differ slightly: it writes `sm_`
    /// for PTX too and drops the `f` of family-specific cubins; see
    /// [`crate::cuobjdump_files`].)
    pub fn arch_name(&self) -> String {
        let prefix = if self.kind == EntryKind::Ptx { "compute" } else { "sm" };
        format!("{prefix}_{}{}", self.arch, self.arch_variant().suffix())
    }

    /// Whether this entry's code may run on a device of compute capability `cc`
    /// (`75` for 7.5), following the rules for generic, `f` and `a` targets. For PTX this is
    /// what JIT compilation allows; for ELF the real rules are stricter (SASS is
    /// binary-compatible only within a major version), which does not matter to an
    /// emulator that never runs SASS.
    pub fn runs_on(&self, cc: u32) -> bool {
        match self.arch_variant() {
            ArchVariant::Generic => self.arch <= cc,
            ArchVariant::Family => self.arch <= cc && self.arch / 10 == cc / 10,
            ArchVariant::Specific => self.arch == cc,
        }
    }

    /// The payload after decompression: borrowed when not compressed, else decoded
    /// (LZ4 raw block or zstd frame) and checked against `uncompressed_size`.
    ///
    /// For an ELF entry this is the cubin exactly, as `cuobjdump -xelf` writes it: the
    /// payload is padded to a multiple of 8 and the padding is cut off at the size the ELF
    /// headers describe (left on if they cannot be read). For PTX and unknown kinds it is
    /// the whole padded region, NUL padding included; see [`Entry::ptx_text`].
    pub fn data(&self) -> Result<Cow<'a, [u8]>, Error> {
        let both = flags::COMPRESSED_LZ4 | flags::COMPRESSED_ZSTD;
        if self.flags & both == both {
            return Err(Error::Malformed {
                what: "entry flags",
                detail: format!("both LZ4 and zstd compression bits set ({:#x})", self.flags),
            });
        }
        let Some(codec) = self.compression() else {
            return Ok(Cow::Borrowed(self.trim_elf_padding(self.payload)));
        };
        let fail = |detail: String| Error::Decompress { codec, detail };
        let expected = self.uncompressed_size;
        let expected_usize = usize::try_from(expected)
            .map_err(|_| fail(format!("uncompressed size {expected} does not fit in memory")))?;
        let out = match codec {
            Compression::Lz4 => {
                let bound = (self.payload.len() as u64).saturating_mul(LZ4_MAX_RATIO) + 64;
                if expected > bound {
                    return Err(fail(format!(
                        "claimed uncompressed size {expected} is impossible for {} stored bytes",
                        self.payload.len()
                    )));
                }
                lz4_flex::block::decompress(self.payload, expected_usize)
                    .map_err(|e| fail(e.to_string()))?
            }
            Compression::Zstd => {
                // Stream with a limit rather than trusting the claimed size for one big
                // allocation: a corrupt header must not make us allocate gigabytes.
                let decoder = zstd::stream::read::Decoder::new(self.payload)
                    .map_err(|e| fail(e.to_string()))?;
                let mut out = Vec::with_capacity(expected_usize.min(self.payload.len() * 16 + 4096));
                decoder
                    .take(expected.saturating_add(1))
                    .read_to_end(&mut out)
                    .map_err(|e| fail(e.to_string()))?;
                out
            }
        };
        if out.len() as u64 != expected {
            return Err(fail(format!(
                "decoded {} bytes, header says {expected}{}",
                out.len(),
                if out.len() as u64 > expected { " or fewer" } else { "" }
            )));
        }
        let keep = self.trim_elf_padding(&out).len();
        let mut out = out;
        out.truncate(keep);
        Ok(Cow::Owned(out))
    }

    /// An ELF payload is padded to 8 bytes; the cubin proper ends where its headers say
    /// (cuobjdump -xelf writes that size). Other payloads, and ELF whose headers cannot be
    /// read, are returned whole.
    fn trim_elf_padding<'d>(&self, data: &'d [u8]) -> &'d [u8] {
        if self.kind != EntryKind::Elf {
            return data;
        }
        match crate::image::elf_size(data) {
            Some(n) => &data[..n],
            None => data,
        }
    }

    /// The PTX text of a PTX entry, decompressed, with the terminating NUL(s) removed.
    /// This is byte for byte the file `cuobjdump -xptx` writes.
    pub fn ptx_text(&self) -> Result<String, Error> {
        if self.kind != EntryKind::Ptx {
            return Err(Error::NotPtx);
        }
        let data = self.data()?;
        let end = data.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
        String::from_utf8(data[..end].to_vec())
            .map_err(|e| Error::PtxNotUtf8 { valid_up_to: e.utf8_error().valid_up_to() })
    }
}

impl fmt::Display for Entry<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (major, minor) = self.code_version;
        let version = match self.kind {
            EntryKind::Ptx => "PTX ISA",
            EntryKind::Elf => "ELF",
            EntryKind::Unknown(_) => "version",
        };
        write!(f, "{} {} ({version} {major}.{minor}), ", self.kind, self.arch_name())?;
        match self.compression() {
            Some(c) => write!(
                f,
                "{} bytes {c} -> {} bytes",
                self.payload.len(),
                self.uncompressed_size
            )?,
            None => write!(f, "{} bytes", self.payload.len())?,
        }
        write!(f, ", flags {:#x}", self.flags)?;
        if !self.name.is_empty() {
            write!(f, ", name {:?}", self.name)?;
        }
        if !self.options.is_empty() {
            write!(f, ", options {:?}", self.options)?;
        }
        Ok(())
    }
}

/// One fatbin: its header and entries, borrowing from the bytes it was parsed from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fatbin<'a> {
    /// Header version (1 in every fatbin seen).
    pub version: u16,
    /// Header size; entries start here (0x10).
    pub header_size: u16,
    /// Bytes of entries after the header.
    pub payload_size: u64,
    /// The entries in file order.
    pub entries: Vec<Entry<'a>>,
    /// The whole fatbin, header included (`header_size + payload_size` bytes).
    pub bytes: &'a [u8],
}

impl<'a> Fatbin<'a> {
    /// Parses the fatbin at the start of `bytes` and returns it with the number of bytes
    /// it occupies (header + payload, without alignment padding). Trailing bytes are not
    /// looked at. Every size is bounds-checked; malformed input gives an [`Error`].
    pub fn parse(bytes: &'a [u8]) -> Result<(Fatbin<'a>, usize), Error> {
        let r = Reader::new(bytes);
        let magic = r.u32("fatbin header", 0)?;
        if magic != FATBIN_MAGIC {
            return Err(if magic == OLD_FATBIN_MAGIC {
                Error::Malformed {
                    what: "fatbin header",
                    detail: "old-style (pre-CUDA 4) fatbin, not supported".into(),
                }
            } else {
                Error::BadMagic { what: "fatbin header", found: magic }
            });
        }
        let version = r.u16("fatbin header", 4)?;
        let header_size = r.u16("fatbin header", 6)?;
        let payload_size = r.u64("fatbin header", 8)?;
        if u64::from(header_size) < FATBIN_HEADER_SIZE {
            return Err(Error::Malformed {
                what: "fatbin header",
                detail: format!("header size {header_size:#x} is smaller than 0x10"),
            });
        }
        let payload = r.slice("fatbin payload", header_size.into(), payload_size)?;
        let total = u64::from(header_size) + payload_size; // fits: the slice above exists

        let mut entries = Vec::new();
        let mut at = 0u64;
        while at < payload_size {
            let base = u64::from(header_size) + at;
            let (entry, len) = Entry::parse(&payload[at as usize..], base)?;
            entries.push(entry);
            at += len; // len <= remaining payload, checked by Entry::parse
        }
        let fatbin = Fatbin { version, header_size, payload_size, entries, bytes: &bytes[..total as usize] };
        Ok((fatbin, total as usize))
    }

    /// Parses several fatbins stored back to back, each starting 8-byte aligned relative
    /// to the start of `bytes`, as in an `.nv_fatbin` section. Zero bytes between fatbins
    /// (padding) are skipped in 8-byte steps; anything else that is not a fatbin header
    /// is an error.
    pub fn parse_all(bytes: &'a [u8]) -> Result<Vec<Fatbin<'a>>, Error> {
        let mut fatbins = Vec::new();
        let mut at = 0usize;
        loop {
            at = at.saturating_add(7) & !7;
            while bytes.get(at..at.saturating_add(8)).is_some_and(|w| w == [0; 8]) {
                at += 8;
            }
            let rest = bytes.get(at..).unwrap_or(&[]);
            if rest.iter().all(|&b| b == 0) {
                return Ok(fatbins);
            }
            let (fatbin, len) = Fatbin::parse(rest).map_err(|e| relocate(e, at as u64))?;
            fatbins.push(fatbin);
            at += len;
        }
    }
}

impl fmt::Display for Fatbin<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "fatbin v{}, {} bytes, {} entr{}",
            self.version,
            self.bytes.len(),
            self.entries.len(),
            if self.entries.len() == 1 { "y" } else { "ies" }
        )?;
        for e in &self.entries {
            write!(f, "\n  {e}")?;
        }
        Ok(())
    }
}

/// Shorthand for [`Fatbin::parse_all`].
pub fn parse_all(bytes: &[u8]) -> Result<Vec<Fatbin<'_>>, Error> {
    Fatbin::parse_all(bytes)
}

/// Text stored in a fixed-size header field: up to the first NUL, lossy UTF-8.
fn text_field(bytes: &[u8]) -> String {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    String::from_utf8_lossy(&bytes[..end]).into_owned()
}

/// Makes the offset in a `Truncated` error relative to an enclosing buffer.
pub(crate) fn relocate(e: Error, base: u64) -> Error {
    match e {
        Error::Truncated { what, offset, needed, available } => {
            Error::Truncated { what, offset: offset.saturating_add(base), needed, available }
        }
        other => other,
    }
}

//! Images handed to the driver by pointer (`cuModuleLoadData`, `cuLibraryLoadData`,
//! `cuModuleLoadFatBinary`, …).
//!
//! The driver receives a bare `const void *` with no length. What it points to is one of
//! four things, told apart by the first bytes:
//!
//! | first bytes | what | its size |
//! |---|---|---|
//! | `b1 43 62 46` | `__fatBinC_Wrapper_t` (what cudart registers) | 24 bytes; points to a fatbin |
//! | `50 ed 55 ba` | a fatbin header | from the header: header + payload size |
//! | `7f 45 4c 46` | a cubin (ELF) | from the ELF header: end of section/program header tables and sections |
//! | anything else | PTX text | up to the terminating NUL |
//!
//! The same decoding runs over two views of memory: [`image_from_ptr`] reads raw memory
//! (trusting the caller's pointer, as the real driver must), [`image_from_bytes`] reads a
//! slice with every access bounds-checked — pointers inside a wrapper must then point into
//! that same slice. The checked variant is what tests and fuzzing use, so the decoding
//! logic itself is exercised on hostile input.

use crate::container::{Fatbin, FATBIN_MAGIC};
use crate::error::Error;

/// Magic of `__fatBinC_Wrapper_t` (`FATBINC_MAGIC` in `fatbinary_section.h`).
pub const WRAPPER_MAGIC: u32 = 0x4662_43B1;
const WRAPPER_SIZE: usize = 24;
/// Upper bound on the NULL-terminated prelinked-fatbin list of a version-2 wrapper; a
/// longer list means we are reading garbage.
const MAX_PRELINKED: usize = 1 << 16;
const ELF_MAGIC: [u8; 4] = *b"\x7fELF";

/// A decoded driver image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Image<'a> {
    /// A `__fatBinC_Wrapper_t`: `version` 1 for an ordinary translation unit, 2 for the
    /// device-link stub nvcc adds; `prelinked` is the NULL-terminated fatbin list of a
    /// version-2 wrapper (`__cudaPrelinkedFatbins`), empty when that pointer is NULL.
    Wrapper { version: u32, fatbin: Fatbin<'a>, prelinked: Vec<Fatbin<'a>> },
    /// A bare fatbin.
    Fatbin(Fatbin<'a>),
    /// A cubin, sized from its ELF header.
    Elf(&'a [u8]),
    /// PTX text, without its terminating NUL.
    Ptx(&'a str),
}

impl<'a> Image<'a> {
    /// All fatbins of the image in order (wrapper's own fatbin first, then prelinked ones);
    /// empty for a cubin or PTX text.
    pub fn fatbins(&self) -> Vec<&Fatbin<'a>> {
        match self {
            Image::Wrapper { fatbin, prelinked, .. } => {
                std::iter::once(fatbin).chain(prelinked.iter()).collect()
            }
            Image::Fatbin(f) => vec![f],
            Image::Elf(_) | Image::Ptx(_) => Vec::new(),
        }
    }
}

/// Decodes the image at `p`.
///
/// # Safety
/// `p` must be non-null and point to one valid, complete image of one of the four kinds,
/// readable for its whole size (as computed from its headers) and not mutated for the
/// `'static` lifetime the result claims — in practice: until the module made from it is
/// unloaded, so the caller must copy what it keeps. For a wrapper, its `data` pointer and
/// (version 2) each non-null prelinked pointer must satisfy the same contract for a fatbin.
/// PTX text must be NUL-terminated. This is the contract `cuModuleLoadData` puts on CUDA
/// programs; a lying header makes this function read out of bounds, which no reader
/// without a length can prevent. Null `p` is reported as an error.
pub unsafe fn image_from_ptr(p: *const u8) -> Result<Image<'static>, Error> {
    if p.is_null() {
        return Err(Error::Malformed { what: "image", detail: "null pointer".into() });
    }
    decode(&RawMemory, p as usize)
}

/// Decodes an image held in `bytes` with every read bounds-checked. A wrapper's pointers
/// are taken as addresses and must point into `bytes` itself (so a wrapper copied away
/// from its fatbin is rejected, not followed). PTX must be NUL-terminated within `bytes`.
pub fn image_from_bytes(bytes: &[u8]) -> Result<Image<'_>, Error> {
    let mem = SliceMemory { bytes };
    decode(&mem, bytes.as_ptr() as usize)
}

/// Read access to memory by address.
trait Memory<'a> {
    /// `len` bytes at address `addr`.
    fn read(&self, what: &'static str, addr: usize, len: usize) -> Result<&'a [u8], Error>;
    /// The bytes from `addr` up to (not including) the next NUL.
    fn c_str(&self, addr: usize) -> Result<&'a [u8], Error>;
}

/// Unchecked access to the process's memory. Only constructed by [`image_from_ptr`], whose
/// caller vouches for every address this reads (see its safety contract).
struct RawMemory;

impl Memory<'static> for RawMemory {
    fn read(&self, what: &'static str, addr: usize, len: usize) -> Result<&'static [u8], Error> {
        // A slice may not exceed isize::MAX bytes nor wrap around the address space.
        if addr == 0 || len > isize::MAX as usize || addr.checked_add(len).is_none() {
            return Err(Error::Malformed {
                what,
                detail: format!("{len} bytes at address {addr:#x} cannot be valid"),
            });
        }
        // SAFETY: image_from_ptr's contract: the image (and what its headers describe)
        // is readable and immutable for the lifetime handed out.
        Ok(unsafe { std::slice::from_raw_parts(addr as *const u8, len) })
    }

    fn c_str(&self, addr: usize) -> Result<&'static [u8], Error> {
        if addr == 0 {
            return Err(Error::Malformed { what: "PTX text", detail: "null pointer".into() });
        }
        // SAFETY: as above; PTX text is NUL-terminated by contract.
        Ok(unsafe { std::ffi::CStr::from_ptr(addr as *const std::ffi::c_char) }.to_bytes())
    }
}

/// Bounds-checked access to a slice whose first byte is at address `bytes.as_ptr()`.
struct SliceMemory<'a> {
    bytes: &'a [u8],
}

impl<'a> SliceMemory<'a> {
    fn offset(&self, what: &'static str, addr: usize) -> Result<usize, Error> {
        let base = self.bytes.as_ptr() as usize;
        match addr.checked_sub(base) {
            Some(off) if off <= self.bytes.len() => Ok(off),
            _ => Err(Error::Malformed {
                what,
                detail: format!("address {addr:#x} lies outside the image buffer"),
            }),
        }
    }
}

impl<'a> Memory<'a> for SliceMemory<'a> {
    fn read(&self, what: &'static str, addr: usize, len: usize) -> Result<&'a [u8], Error> {
        let off = self.offset(what, addr)?;
        crate::error::Reader::new(self.bytes).slice(what, off as u64, len as u64)
    }

    fn c_str(&self, addr: usize) -> Result<&'a [u8], Error> {
        let off = self.offset("PTX text", addr)?;
        let rest = &self.bytes[off..];
        match rest.iter().position(|&b| b == 0) {
            Some(n) => Ok(&rest[..n]),
            None => Err(Error::Truncated {
                what: "PTX text (no terminating NUL)",
                offset: off as u64,
                needed: rest.len() as u64 + 1,
                available: rest.len() as u64,
            }),
        }
    }
}

/// The size of the ELF file at the start of `bytes` as its headers describe it, if they
/// can be read and lie within `bytes`.
pub(crate) fn elf_size(bytes: &[u8]) -> Option<usize> {
    if !bytes.starts_with(&ELF_MAGIC) {
        return None;
    }
    let mem = SliceMemory { bytes };
    elf(&mem, bytes.as_ptr() as usize).ok().map(<[u8]>::len)
}

fn u32_at(b: &[u8], off: usize) -> u32 {
    u32::from_le_bytes(b[off..off + 4].try_into().expect("4 bytes"))
}

fn u64_at(b: &[u8], off: usize) -> u64 {
    u64::from_le_bytes(b[off..off + 8].try_into().expect("8 bytes"))
}

fn decode<'a>(mem: &impl Memory<'a>, addr: usize) -> Result<Image<'a>, Error> {
    // Look at up to 4 bytes one at a time: PTX text shorter than that ends in a NUL, and
    // reading 4 bytes at once could run past it.
    let mut head = [0u8; 4];
    for (i, slot) in head.iter_mut().enumerate() {
        let a = addr.checked_add(i).ok_or_else(|| Error::Malformed {
            what: "image",
            detail: "address overflows".into(),
        })?;
        *slot = mem.read("image", a, 1)?[0];
        if *slot == 0 {
            return ptx(mem.c_str(addr)?);
        }
    }
    match u32::from_le_bytes(head) {
        WRAPPER_MAGIC => wrapper(mem, addr),
        FATBIN_MAGIC => Ok(Image::Fatbin(fatbin_at(mem, addr)?)),
        _ if head == ELF_MAGIC => Ok(Image::Elf(elf(mem, addr)?)),
        _ => ptx(mem.c_str(addr)?),
    }
}

fn ptx(text: &[u8]) -> Result<Image<'_>, Error> {
    // Text with control characters other than whitespace is not PTX; reject it as an
    // unknown image rather than handing binary garbage to the PTX parser.
    let plausible = |b: u8| b >= 0x20 || b == b'\n' || b == b'\r' || b == b'\t' || b == 0x0c;
    if text.is_empty() || !text.iter().copied().all(plausible) {
        return Err(Error::UnknownImage { first_bytes: text.iter().take(4).copied().collect() });
    }
    std::str::from_utf8(text)
        .map(Image::Ptx)
        .map_err(|e| Error::PtxNotUtf8 { valid_up_to: e.valid_up_to() })
}

/// Reads a fatbin header to learn the size, then parses the whole fatbin.
fn fatbin_at<'a>(mem: &impl Memory<'a>, addr: usize) -> Result<Fatbin<'a>, Error> {
    let header = mem.read("fatbin header", addr, 16)?;
    let magic = u32_at(header, 0);
    if magic != FATBIN_MAGIC {
        return Err(Error::BadMagic { what: "fatbin header", found: magic });
    }
    let header_size = u64::from(u16::from_le_bytes([header[6], header[7]]));
    let total = header_size.checked_add(u64_at(header, 8)).and_then(|t| usize::try_from(t).ok());
    let Some(total) = total else {
        return Err(Error::Malformed { what: "fatbin header", detail: "size overflows".into() });
    };
    let bytes = mem.read("fatbin", addr, total.max(16))?;
    Ok(Fatbin::parse(bytes)?.0)
}

fn wrapper<'a>(mem: &impl Memory<'a>, addr: usize) -> Result<Image<'a>, Error> {
    let w = mem.read("fatbin wrapper", addr, WRAPPER_SIZE)?;
    let version = u32_at(w, 4);
    let data = u64_at(w, 8) as usize;
    let filename_or_fatbins = u64_at(w, 16) as usize;
    if version != 1 && version != 2 {
        return Err(Error::Malformed {
            what: "fatbin wrapper",
            detail: format!("version {version}, expected 1 or 2"),
        });
    }
    let fatbin = fatbin_at(mem, data)?;
    let mut prelinked = Vec::new();
    // Version 1: the field is an (unused, NULL) offline file name; only version 2 has a list.
    if version == 2 && filename_or_fatbins != 0 {
        for i in 0.. {
            if i == MAX_PRELINKED {
                return Err(Error::Malformed {
                    what: "prelinked fatbin list",
                    detail: format!("no NULL terminator within {MAX_PRELINKED} pointers"),
                });
            }
            let slot = filename_or_fatbins
                .checked_add(i * 8)
                .ok_or_else(|| Error::Malformed { what: "prelinked fatbin list", detail: "address overflows".into() })?;
            let p = u64_at(mem.read("prelinked fatbin list", slot, 8)?, 0) as usize;
            if p == 0 {
                break;
            }
            prelinked.push(fatbin_at(mem, p)?);
        }
    }
    Ok(Image::Wrapper { version, fatbin, prelinked })
}

/// Sizes a cubin from its ELF header: the furthest of the header itself, the program and
/// section header tables, and the file contents they describe (sections that occupy file
/// space, segments' file images). Little-endian ELF32 and ELF64 are accepted.
fn elf<'a>(mem: &impl Memory<'a>, addr: usize) -> Result<&'a [u8], Error> {
    let ident = mem.read("ELF header", addr, 16)?;
    let is64 = match ident[4] {
        1 => false,
        2 => true,
        c => return Err(Error::Malformed { what: "ELF header", detail: format!("ELF class {c}") }),
    };
    if ident[5] != 1 {
        return Err(Error::Malformed { what: "ELF header", detail: "not little-endian".into() });
    }
    let ehsize = if is64 { 64 } else { 52 };
    let eh = mem.read("ELF header", addr, ehsize)?;
    let u16_at = |b: &[u8], o: usize| u64::from(u16::from_le_bytes([b[o], b[o + 1]]));
    let word = |b: &[u8], o64: usize, o32: usize| {
        if is64 { u64_at(b, o64) } else { u64::from(u32_at(b, o32)) }
    };
    let (phoff, shoff) = (word(eh, 0x20, 0x1c), word(eh, 0x28, 0x20));
    let (phentsize, mut phnum) = if is64 { (u16_at(eh, 0x36), u16_at(eh, 0x38)) } else { (u16_at(eh, 0x2a), u16_at(eh, 0x2c)) };
    let (shentsize, mut shnum) = if is64 { (u16_at(eh, 0x3a), u16_at(eh, 0x3c)) } else { (u16_at(eh, 0x2e), u16_at(eh, 0x30)) };
    let (min_ph, min_sh) = if is64 { (56, 64) } else { (32, 40) };

    let bad = |detail: String| Error::Malformed { what: "ELF header", detail };
    let mut end = ehsize as u64;
    let table = |off: u64, num: u64, entsize: u64| -> Result<u64, Error> {
        num.checked_mul(entsize)
            .and_then(|n| n.checked_add(off))
            .ok_or_else(|| bad("header table size overflows".into()))
    };
    let read_table = |off: u64, len: u64| -> Result<&'a [u8], Error> {
        let a = usize::try_from(off).ok().and_then(|o| addr.checked_add(o));
        let l = usize::try_from(len).ok();
        match (a, l) {
            (Some(a), Some(l)) => mem.read("ELF header table", a, l),
            _ => Err(bad("header table out of range".into())),
        }
    };

    if shoff != 0 {
        if shentsize < min_sh {
            return Err(bad(format!("section header size {shentsize}")));
        }
        // Extended numbering: e_shnum == 0 means the count is in section 0's sh_size.
        if shnum == 0 {
            let s0 = read_table(shoff, shentsize)?;
            shnum = word(s0, 0x20, 0x14);
        }
        // Same for e_phnum == 0xffff: the count is in section 0's sh_info.
        if phnum == 0xffff {
            let s0 = read_table(shoff, shentsize)?;
            phnum = u64::from(u32_at(s0, if is64 { 0x2c } else { 0x1c }));
        }
        let tab_end = table(shoff, shnum, shentsize)?;
        let tab = read_table(shoff, tab_end - shoff)?;
        end = end.max(tab_end);
        for i in 0..shnum as usize {
            let s = &tab[i * shentsize as usize..];
            let sh_type = u32_at(s, 4);
            const SHT_NOBITS: u32 = 8;
            if sh_type != SHT_NOBITS {
                let (off, size) = (word(s, 0x18, 0x10), word(s, 0x20, 0x14));
                end = end.max(off.checked_add(size).ok_or_else(|| bad("section size overflows".into()))?);
            }
        }
    }
    if phoff != 0 && phnum != 0 {
        if phentsize < min_ph {
            return Err(bad(format!("program header size {phentsize}")));
        }
        let tab_end = table(phoff, phnum, phentsize)?;
        let tab = read_table(phoff, tab_end - phoff)?;
        end = end.max(tab_end);
        for i in 0..phnum as usize {
            let p = &tab[i * phentsize as usize..];
            let (off, filesz) = if is64 { (u64_at(p, 0x08), u64_at(p, 0x20)) } else { (u64::from(u32_at(p, 0x04)), u64::from(u32_at(p, 0x10))) };
            end = end.max(off.checked_add(filesz).ok_or_else(|| bad("segment size overflows".into()))?);
        }
    }
    let len = usize::try_from(end).map_err(|_| bad("image size overflows".into()))?;
    mem.read("ELF image", addr, len)
}

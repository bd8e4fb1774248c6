//! Fatbins inside files on disk (executables, shared libraries, object files, raw
//! `.fatbin` files), and the names `cuobjdump` gives their entries.
//!
//! nvcc puts fatbin data in the section `.nv_fatbin` (Mach-O: `__nv_fatbin`); code built
//! with `-rdc=true` goes to `__nv_relfatbin` until the final device link, and an executable
//! linked that way has both. Like `cuobjdump`, the default ([`fatbins_in_file`]) reads
//! `.nv_fatbin` if the file has one and else `__nv_relfatbin`; [`all_fatbins_in_file`]
//! reads both, in that order (`cuobjdump -all`). The fatbin bytes need no relocation: only
//! the wrappers in `.nvFatBinSegment` hold pointers.
//!
//! cuobjdump's names (measured with cuobjdump 13.5): entries are numbered in file order
//! with one counter per kind, starting at 1; an entry is called
//! `<stem>.<n>.<arch>.ptx` / `.cubin`, where `<stem>` is the file's base name without its
//! last extension (`libvadd.so.1` → `libvadd.so`) and `<arch>` is `sm_XY` for PTX *and*
//! ELF, with `a` for arch-specific entries of both kinds and `f` for family-specific PTX
//! only (a family-specific cubin is named `sm_100`). Entries that carry a name (`-G`
//! builds record the source file) are called `<name stem>.<arch>.<ext>` instead, without
//! the number. The listing lines are `PTX file    1: name` (number right-aligned in 4).

use object::{Object, ObjectSection};

use crate::container::{ArchVariant, Entry, EntryKind, Fatbin, FATBIN_MAGIC};
use crate::error::Error;

/// Section names holding executable (device-linked) fatbins: ELF/PE, Mach-O.
const EXECUTABLE_SECTIONS: &[&str] = &[".nv_fatbin", "__nv_fatbin"];
/// Section holding relocatable (`-rdc`) fatbins.
const RELOCATABLE_SECTIONS: &[&str] = &["__nv_relfatbin"];

/// The fatbins `cuobjdump` lists by default: those in `.nv_fatbin`, or if there is no
/// such section those in `__nv_relfatbin`. `bytes` is a host object file (ELF, Mach-O,
/// PE; executable, shared library or relocatable object) or a raw fatbin file
/// (`nvcc -fatbin`). A file without fatbin sections gives an empty list; a cubin or
/// anything unreadable gives an error.
pub fn fatbins_in_file(bytes: &[u8]) -> Result<Vec<Fatbin<'_>>, Error> {
    let (exec, reloc) = sections(bytes)?;
    Ok(if exec.is_empty() { reloc } else { exec })
}

/// All fatbins of the file, executable sections first (`cuobjdump -all`).
pub fn all_fatbins_in_file(bytes: &[u8]) -> Result<Vec<Fatbin<'_>>, Error> {
    let (mut exec, reloc) = sections(bytes)?;
    exec.extend(reloc);
    Ok(exec)
}

fn sections(bytes: &[u8]) -> Result<(Vec<Fatbin<'_>>, Vec<Fatbin<'_>>), Error> {
    if bytes.len() >= 4 && u32::from_le_bytes(bytes[..4].try_into().expect("4 bytes")) == FATBIN_MAGIC {
        return Ok((Fatbin::parse_all(bytes)?, Vec::new()));
    }
    let file = object::File::parse(bytes).map_err(|e| Error::HostFile(e.to_string()))?;
    const EM_CUDA: u16 = 190;
    if bytes.len() >= 20 && bytes.starts_with(b"\x7fELF") && u16::from_le_bytes([bytes[18], bytes[19]]) == EM_CUDA {
        return Err(Error::HostFile("this is a cubin (device code), not a host binary".into()));
    }
    let collect = |names: &[&str]| -> Result<Vec<Fatbin<'_>>, Error> {
        let mut out = Vec::new();
        for section in file.sections() {
            let Ok(name) = section.name() else { continue };
            if !names.contains(&name) {
                continue;
            }
            let data = section
                .data()
                .map_err(|e| Error::HostFile(format!("section {name}: {e}")))?;
            let fatbins = Fatbin::parse_all(data).map_err(|e| {
                Error::HostFile(format!("section {name} at file offset {:#x}: {e}", section.file_range().map_or(0, |r| r.0)))
            })?;
            out.extend(fatbins);
        }
        Ok(out)
    };
    Ok((collect(EXECUTABLE_SECTIONS)?, collect(RELOCATABLE_SECTIONS)?))
}

/// A cubin file (an ELF with `e_machine` EM_CUDA, as `nvcc -cubin` writes) seen as the one ELF
/// entry `cuobjdump` lists for it: named after the file (`k.cubin` → `k.sm_90a.cubin`), with the
/// arch from `e_flags` (bits 8–15 from ELF ABI version 8 on, the low byte before) and the
/// arch/family-specific flag from the `-arch sm_XYa`/`sm_XYf` string nvcc records in it.
/// `None` for anything that is not a cubin.
pub fn standalone_cubin<'a>(file_name: &str, bytes: &'a [u8]) -> Option<Entry<'a>> {
    const EM_CUDA: u16 = 190;
    if bytes.len() < 64 || !bytes.starts_with(b"\x7fELF") || bytes[4] != 2 {
        return None;
    }
    if u16::from_le_bytes([bytes[18], bytes[19]]) != EM_CUDA {
        return None;
    }
    let e_flags = u32::from_le_bytes(bytes[48..52].try_into().ok()?);
    let arch = if bytes[8] >= 8 { (e_flags >> 8) & 0xff } else { e_flags & 0xff };
    let mut flags = crate::flags::ADDRESS_64;
    let needle = format!("-arch sm_{arch}");
    if let Some(k) = bytes.windows(needle.len()).position(|w| w == needle.as_bytes()) {
        match bytes.get(k + needle.len()) {
            Some(b'a') => flags |= crate::flags::ARCH_SPECIFIC,
            Some(b'f') => flags |= crate::flags::FAMILY_SPECIFIC,
            _ => {}
        }
    }
    Some(Entry {
        kind: EntryKind::Elf,
        format_version: 0,
        header_size: 0,
        padded_size: bytes.len() as u64,
        stored_size: 0,
        options: String::new(),
        name: base_name(file_name).to_string(),
        code_version: (0, 0),
        arch,
        flags,
        uncompressed_size: 0,
        payload: bytes,
        header: &[],
    })
}

/// An entry together with the number and file name `cuobjdump` gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CuobjdumpFile<'f, 'a> {
    /// The entry.
    pub entry: &'f Entry<'a>,
    /// Its number among entries of the same kind, from 1.
    pub number: usize,
    /// The file name `cuobjdump -xptx`/`-xelf` writes, e.g. `vadd.1.sm_75.ptx`.
    pub file_name: String,
}

impl CuobjdumpFile<'_, '_> {
    /// The line `cuobjdump -lptx`/`-lelf` prints for it (without newline), e.g.
    /// `PTX file    1: vadd.1.sm_75.ptx`.
    pub fn list_line(&self) -> String {
        format!("{} file {:4}: {}", self.entry.kind, self.number, self.file_name)
    }
}

/// Names the PTX and ELF entries of `fatbins` (from the file at `path`) as `cuobjdump`
/// does, in file order. Entries of unknown kind are skipped, as cuobjdump does not list
/// them either.
pub fn cuobjdump_files<'f, 'a>(path: &str, fatbins: &'f [Fatbin<'a>]) -> Vec<CuobjdumpFile<'f, 'a>> {
    let stem = strip_extension(base_name(path));
    let (mut ptx, mut elf) = (0, 0);
    let mut out = Vec::new();
    for entry in fatbins.iter().flat_map(|f| &f.entries) {
        let (counter, ext) = match entry.kind {
            EntryKind::Ptx => (&mut ptx, "ptx"),
            EntryKind::Elf => (&mut elf, "cubin"),
            EntryKind::Unknown(_) => continue,
        };
        *counter += 1;
        let suffix = match (entry.kind, entry.arch_variant()) {
            (_, ArchVariant::Specific) => "a",
            (EntryKind::Ptx, ArchVariant::Family) => "f",
            _ => "",
        };
        let arch = format!("sm_{}{suffix}", entry.arch);
        let name = entry.name.trim();
        let file_name = if name.is_empty() {
            format!("{stem}.{}.{arch}.{ext}", *counter)
        } else {
            format!("{}.{arch}.{ext}", strip_extension(base_name(name)))
        };
        out.push(CuobjdumpFile { entry, number: *counter, file_name });
    }
    out
}

/// What `cuobjdump -lptx -lelf PATH` (with `ptx`, `elf` both true) prints on stdout:
/// one line per entry in file order. cuobjdump's "No PTX file found" notes go to stderr
/// and are not part of this.
pub fn cuobjdump_listing(path: &str, fatbins: &[Fatbin<'_>], ptx: bool, elf: bool) -> String {
    let mut out = String::new();
    for f in cuobjdump_files(path, fatbins) {
        let wanted = match f.entry.kind {
            EntryKind::Ptx => ptx,
            EntryKind::Elf => elf,
            EntryKind::Unknown(_) => false,
        };
        if wanted {
            out.push_str(&f.list_line());
            out.push('\n');
        }
    }
    out
}

fn base_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn strip_extension(name: &str) -> &str {
    match name.rfind('.') {
        Some(i) if i > 0 => &name[..i],
        _ => name,
    }
}

//! Synthetic containers: the layout rules on small hand-built fatbins, and malformed input
//! (truncated headers, sizes pointing past the end, bad magic) giving errors, never panics.
//! The property tests feed arbitrary and mutated bytes to every entry point.

use fatbin::{
    flags, image_from_bytes, image_from_ptr, parse_all, select_ptx, Compression, Entry, EntryKind, Error, Fatbin,
    Image,
};
use proptest::prelude::*;

const PTX: &str = "\n\n.version 9.5\n.target sm_75\n.address_size 64\n\n.visible .entry k()\n{\n\tret;\n}\n";

/// One entry as nvcc lays it out. `compress` picks the codec of the payload.
struct EntrySpec<'a> {
    kind: u16,
    arch: u32,
    flags: u64,
    data: &'a [u8],
    compress: Option<Compression>,
    options: &'a str,
    name: &'a str,
}

impl Default for EntrySpec<'_> {
    fn default() -> Self {
        EntrySpec { kind: 1, arch: 75, flags: 0x11, data: b"", compress: None, options: "", name: "" }
    }
}

fn put_u16(b: &mut [u8], at: usize, v: u16) {
    b[at..at + 2].copy_from_slice(&v.to_le_bytes());
}
fn put_u32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}
fn put_u64(b: &mut [u8], at: usize, v: u64) {
    b[at..at + 8].copy_from_slice(&v.to_le_bytes());
}

fn entry(spec: &EntrySpec) -> Vec<u8> {
    let (stored, flag): (Vec<u8>, u64) = match spec.compress {
        None => (spec.data.to_vec(), 0),
        Some(Compression::Zstd) => (zstd::bulk::compress(spec.data, 3).unwrap(), flags::COMPRESSED_ZSTD),
        Some(Compression::Lz4) => (lz4_flex::block::compress(spec.data), flags::COMPRESSED_LZ4),
    };
    // Header: fixed part, then the options pair at 0x40, options text, name.
    let mut header = vec![0u8; 0x48];
    header.extend_from_slice(spec.options.as_bytes());
    header.push(0);
    let name_at = header.len();
    header.extend_from_slice(spec.name.as_bytes());
    header.resize(header.len().next_multiple_of(8), 0);
    let padded = stored.len().next_multiple_of(8);
    put_u16(&mut header, 0, spec.kind);
    put_u16(&mut header, 2, 0x0101);
    let header_len = header.len() as u32;
    put_u32(&mut header, 4, header_len);
    put_u64(&mut header, 8, padded as u64);
    put_u32(&mut header, 0x10, if spec.compress.is_some() { stored.len() as u32 } else { 0 });
    put_u32(&mut header, 0x14, 0x40);
    put_u16(&mut header, 0x18, 5);
    put_u16(&mut header, 0x1a, 9);
    put_u32(&mut header, 0x1c, spec.arch);
    put_u32(&mut header, 0x20, if spec.name.is_empty() { 0 } else { name_at as u32 });
    put_u32(&mut header, 0x24, spec.name.len() as u32);
    put_u64(&mut header, 0x28, spec.flags | flag);
    put_u64(&mut header, 0x38, if spec.compress.is_some() { spec.data.len() as u64 } else { 0 });
    put_u32(&mut header, 0x40, 0x48);
    put_u32(&mut header, 0x44, spec.options.len() as u32);
    let mut out = header;
    out.extend_from_slice(&stored);
    out.resize(out.len() + padded - stored.len(), 0);
    out
}

fn fatbin_of(entries: &[Vec<u8>]) -> Vec<u8> {
    let payload: Vec<u8> = entries.concat();
    let mut out = vec![0u8; 16];
    put_u32(&mut out, 0, 0xBA55ED50);
    put_u16(&mut out, 4, 1);
    put_u16(&mut out, 6, 16);
    put_u64(&mut out, 8, payload.len() as u64);
    out.extend_from_slice(&payload);
    out
}

fn ptx_with_nul() -> Vec<u8> {
    let mut v = PTX.as_bytes().to_vec();
    v.push(0);
    v
}

/// A fatbin with one entry of each shape: plain PTX, zstd PTX, LZ4 PTX with options and a
/// name, an ELF-kind entry and an unknown kind.
fn sample() -> Vec<u8> {
    let text = ptx_with_nul();
    fatbin_of(&[
        entry(&EntrySpec { data: &text, ..Default::default() }),
        entry(&EntrySpec { data: &text, arch: 80, compress: Some(Compression::Zstd), ..Default::default() }),
        entry(&EntrySpec {
            data: &text,
            arch: 86,
            compress: Some(Compression::Lz4),
            options: "-O2 --maxrregcount=32",
            name: "k.cu",
            ..Default::default()
        }),
        entry(&EntrySpec { kind: 2, arch: 75, data: b"not really an ELF", ..Default::default() }),
        entry(&EntrySpec { kind: 7, arch: 75, data: b"??", ..Default::default() }),
    ])
}

#[test]
fn sample_round_trips() {
    let bytes = sample();
    let (fb, used) = Fatbin::parse(&bytes).unwrap();
    assert_eq!(used, bytes.len());
    assert_eq!(fb.entries.len(), 5);
    let kinds: Vec<_> = fb.entries.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [EntryKind::Ptx, EntryKind::Ptx, EntryKind::Ptx, EntryKind::Elf, EntryKind::Unknown(7)]);
    for e in &fb.entries[..3] {
        assert_eq!(e.ptx_text().unwrap(), PTX, "{e}");
    }
    assert_eq!(fb.entries[1].compression(), Some(Compression::Zstd));
    assert_eq!(fb.entries[2].compression(), Some(Compression::Lz4));
    assert_eq!(fb.entries[2].options, "-O2 --maxrregcount=32");
    assert_eq!(fb.entries[2].name, "k.cu");
    assert_eq!(fb.entries[2].code_version, (9, 5));
    // Not an ELF inside: the padded payload is returned whole.
    assert!(fb.entries[3].data().unwrap().starts_with(b"not really an ELF"));
    assert_eq!(fb.entries[3].ptx_text(), Err(Error::NotPtx));
    assert_eq!(fb.entries[4].arch_name(), "sm_75");

    let shown = fb.to_string();
    assert!(shown.starts_with("fatbin v1,"), "{shown}");
    assert!(shown.contains("PTX compute_86 (PTX ISA 9.5),"), "{shown}");
    assert!(shown.contains("LZ4 ->"), "{shown}");
    assert!(shown.contains("kind 7 sm_75"), "{shown}");

    assert_eq!(select_ptx(&fb.entries, 75).unwrap().arch, 75);
    assert_eq!(select_ptx(&fb.entries, 80).unwrap().arch, 80);
    assert_eq!(select_ptx(&fb.entries, 90).unwrap().arch, 86);
}

#[test]
fn arch_variant_rules() {
    let text = ptx_with_nul();
    let make = |arch, flags| entry(&EntrySpec { data: &text, arch, flags, ..Default::default() });
    let bytes = fatbin_of(&[make(90, 0x11 | flags::ARCH_SPECIFIC), make(100, 0x11 | flags::FAMILY_SPECIFIC)]);
    let fb = Fatbin::parse(&bytes).unwrap().0;
    let names: Vec<_> = fb.entries.iter().map(Entry::arch_name).collect();
    assert_eq!(names, ["compute_90a", "compute_100f"]);
    let arch = |cc| select_ptx(&fb.entries, cc).map(|e| e.arch).ok();
    assert_eq!(arch(89), None);
    assert_eq!(arch(90), Some(90));
    assert_eq!(arch(100), Some(100));
    assert_eq!(arch(103), Some(100));
    assert_eq!(arch(120), None, "neither 90a nor 100f runs on 12.0");
    assert_eq!(
        select_ptx(&fb.entries, 120).unwrap_err().to_string(),
        "no PTX for compute_120 or lower; present: compute_90a (PTX), compute_100f (PTX)"
    );
    assert_eq!(select_ptx([], 75).unwrap_err().to_string(), "no PTX for compute_75 or lower; the image has no entries");
}

#[test]
fn parse_all_skips_alignment_and_trailing_zeros() {
    let text = ptx_with_nul();
    let one = fatbin_of(&[entry(&EntrySpec { data: &text[..5], ..Default::default() })]);
    let empty = fatbin_of(&[]);
    let mut bytes = Vec::new();
    bytes.extend_from_slice(&empty);
    bytes.extend_from_slice(&one);
    bytes.extend_from_slice(&[0; 3]); // not a multiple of 8: the next fatbin is aligned
    bytes.resize(bytes.len().next_multiple_of(8), 0);
    bytes.extend_from_slice(&one);
    bytes.extend_from_slice(&[0; 13]);
    let all = parse_all(&bytes).unwrap();
    assert_eq!(all.iter().map(|f| f.entries.len()).collect::<Vec<_>>(), [0, 1, 1]);
    assert_eq!(parse_all(&[]).unwrap(), []);

    // Garbage after the last fatbin is an error with its offset.
    bytes.extend_from_slice(b"garbage!");
    match parse_all(&bytes) {
        Err(Error::BadMagic { found, .. }) => assert_eq!(found, 0),
        Err(Error::Truncated { .. }) => {}
        other => panic!("{other:?}"),
    }
}

fn expect_truncated(r: Result<(Fatbin, usize), Error>, what: &str) {
    match r {
        Err(Error::Truncated { what: w, .. }) => assert_eq!(w, what),
        other => panic!("expected truncated {what}, got {other:?}"),
    }
}

fn expect_malformed(r: Result<(Fatbin, usize), Error>, what: &str) {
    match r {
        Err(Error::Malformed { what: w, .. }) => assert_eq!(w, what),
        other => panic!("expected malformed {what}, got {other:?}"),
    }
}

#[test]
fn truncated_and_bad_headers() {
    let good = sample();
    expect_truncated(Fatbin::parse(&[]), "fatbin header");
    expect_truncated(Fatbin::parse(&good[..15]), "fatbin header");
    expect_truncated(Fatbin::parse(&good[..good.len() - 1]), "fatbin payload");

    let mut bad = good.clone();
    bad[0] ^= 1;
    assert!(matches!(Fatbin::parse(&bad), Err(Error::BadMagic { what: "fatbin header", .. })));
    let mut old = good.clone();
    put_u32(&mut old, 0, 0x1EE55A01);
    expect_malformed(Fatbin::parse(&old), "fatbin header");

    let mut small = good.clone();
    put_u16(&mut small, 6, 8);
    expect_malformed(Fatbin::parse(&small), "fatbin header");

    for size in [u64::MAX, u64::MAX - 15, 1 << 62] {
        let mut huge = good.clone();
        put_u64(&mut huge, 8, size);
        expect_truncated(Fatbin::parse(&huge), "fatbin payload");
        let mut hs = good.clone();
        put_u16(&mut hs, 6, u16::MAX);
        expect_truncated(Fatbin::parse(&hs), "fatbin payload");
    }

    // Payload size covering only part of an entry header.
    let mut short = good.clone();
    put_u64(&mut short, 8, 0x20);
    expect_truncated(Fatbin::parse(&short), "entry header");
    // Or the header but not the entry payload. The bytes exist in the buffer but lie
    // outside the fatbin, which must not matter.
    let first_len = entry(&EntrySpec { data: &ptx_with_nul(), ..Default::default() }).len();
    put_u64(&mut short, 8, first_len as u64 - 8);
    expect_truncated(Fatbin::parse(&short), "entry payload");
}

/// Offsets of fields in the first entry of `sample()`.
const E: usize = 16;

#[test]
fn bad_entry_fields() {
    let good = sample();
    let patch = |f: &dyn Fn(&mut Vec<u8>)| {
        let mut b = good.clone();
        f(&mut b);
        b
    };
    expect_malformed(Fatbin::parse(&patch(&|b| put_u32(b, E + 4, 0x3f))), "entry header");
    expect_truncated(Fatbin::parse(&patch(&|b| put_u32(b, E + 4, u32::MAX))), "entry header");
    expect_truncated(Fatbin::parse(&patch(&|b| put_u64(b, E + 8, u64::MAX))), "entry payload");
    expect_truncated(Fatbin::parse(&patch(&|b| put_u64(b, E + 8, u64::MAX - 0x47))), "entry payload");
    // Options descriptor outside the header; options block outside the header.
    expect_truncated(Fatbin::parse(&patch(&|b| put_u32(b, E + 0x14, 0x4c))), "options descriptor");
    expect_truncated(Fatbin::parse(&patch(&|b| put_u32(b, E + 0x14, u32::MAX))), "options descriptor");
    expect_truncated(Fatbin::parse(&patch(&|b| put_u32(b, E + 0x44, 0x1000))), "options block");
    expect_truncated(Fatbin::parse(&patch(&|b| put_u32(b, E + 0x40, u32::MAX))), "options block");
    // Name outside the header.
    expect_truncated(
        Fatbin::parse(&patch(&|b| {
            put_u32(b, E + 0x20, 0x40);
            put_u32(b, E + 0x24, 0x100);
        })),
        "entry name",
    );
    // Compressed entry whose stored size exceeds its padded size.
    let zstd_at = E + entry(&EntrySpec { data: &ptx_with_nul(), ..Default::default() }).len();
    expect_malformed(Fatbin::parse(&patch(&|b| put_u32(b, zstd_at + 0x10, 0x10000))), "entry header");
}

#[test]
fn bad_compressed_payloads() {
    let text = ptx_with_nul();
    fn parse_one(bytes: &[u8]) -> Entry<'_> {
        Fatbin::parse(bytes).unwrap().0.entries.remove(0)
    }
    let zstd = fatbin_of(&[entry(&EntrySpec { data: &text, compress: Some(Compression::Zstd), ..Default::default() })]);
    let lz4 = fatbin_of(&[entry(&EntrySpec { data: &text, compress: Some(Compression::Lz4), ..Default::default() })]);
    let payload_at = E + 0x48 + 8; // header with empty options = 0x50

    for (bytes, codec) in [(&zstd, Compression::Zstd), (&lz4, Compression::Lz4)] {
        assert_eq!(parse_one(bytes).data().unwrap().as_ref(), &text[..]);
        // Wrong uncompressed size, both directions; absurd sizes must not allocate.
        for claimed in [text.len() as u64 - 1, text.len() as u64 + 1, u64::MAX, 1 << 40] {
            let mut b = bytes.clone();
            put_u64(&mut b, E + 0x38, claimed);
            match parse_one(&b).data() {
                Err(Error::Decompress { codec: c, .. }) => assert_eq!(c, codec),
                other => panic!("{codec} claimed {claimed}: {other:?}"),
            }
        }
        // Corrupt the compressed stream.
        let mut b = bytes.clone();
        for x in &mut b[payload_at..payload_at + 8] {
            *x = 0xff;
        }
        assert!(matches!(parse_one(&b).data(), Err(Error::Decompress { .. })));
        assert!(parse_one(&b).ptx_text().is_err());
    }
    // Both compression bits.
    let mut both = zstd.clone();
    put_u64(&mut both, E + 0x28, 0x11 | flags::COMPRESSED_LZ4 | flags::COMPRESSED_ZSTD);
    assert!(matches!(parse_one(&both).data(), Err(Error::Malformed { what: "entry flags", .. })));
    // Invalid UTF-8 in PTX.
    let bin = fatbin_of(&[entry(&EntrySpec { data: b"\xff\xfe.version", ..Default::default() })]);
    assert_eq!(parse_one(&bin).ptx_text(), Err(Error::PtxNotUtf8 { valid_up_to: 0 }));
    // Unknown flag bits are ignored.
    let mut extra = zstd.clone();
    put_u64(&mut extra, E + 0x28, 0x11 | flags::COMPRESSED_ZSTD | 0x100_0000 | 0x4000_0000_0000);
    assert_eq!(parse_one(&extra).ptx_text().unwrap(), PTX);
}

/// A minimal ELF64: header, one section with contents, section header table at the end.
fn tiny_elf() -> Vec<u8> {
    let mut b = vec![0u8; 64 + 16 + 2 * 64];
    b[..4].copy_from_slice(b"\x7fELF");
    b[4] = 2; // ELFCLASS64
    b[5] = 1; // little-endian
    b[6] = 1;
    put_u16(&mut b, 18, 190); // EM_CUDA
    put_u64(&mut b, 0x28, 80); // e_shoff
    put_u16(&mut b, 0x34, 64);
    put_u16(&mut b, 0x3a, 64); // e_shentsize
    put_u16(&mut b, 0x3c, 2); // e_shnum
    let s1 = 80 + 64;
    put_u32(&mut b, s1 + 4, 1); // PROGBITS
    put_u64(&mut b, s1 + 0x18, 64); // sh_offset
    put_u64(&mut b, s1 + 0x20, 16); // sh_size
    b
}

#[test]
fn images_from_bytes() {
    // PTX text: NUL-terminated, possibly shorter than 4 bytes.
    assert_eq!(image_from_bytes(b"ab\0zz").unwrap(), Image::Ptx("ab"));
    assert_eq!(image_from_bytes(b".version 9.5\0").unwrap(), Image::Ptx(".version 9.5"));
    assert!(matches!(image_from_bytes(b".version 9.5"), Err(Error::Truncated { .. })));
    assert!(matches!(image_from_bytes(b"\0"), Err(Error::UnknownImage { .. })));
    assert!(image_from_bytes(b"").is_err());
    assert!(matches!(image_from_bytes(b"\x01\x02\x03\x04\x05\0"), Err(Error::UnknownImage { .. })));
    assert!(matches!(image_from_bytes(b"ok \xff\xfe\0"), Err(Error::PtxNotUtf8 { valid_up_to: 3 })));

    // Fatbin: sized from its header.
    let mut fb = sample();
    let len = fb.len();
    fb.extend_from_slice(b"trailing");
    let Image::Fatbin(f) = image_from_bytes(&fb).unwrap() else { panic!() };
    assert_eq!(f.bytes.len(), len);
    assert!(image_from_bytes(&fb[..len - 1]).is_err());

    // ELF: sized from its headers; truncation and overflowing tables are errors.
    let mut elf = tiny_elf();
    let elf_len = elf.len();
    elf.extend_from_slice(&[0xcc; 40]);
    assert_eq!(image_from_bytes(&elf).unwrap(), Image::Elf(&elf[..elf_len]));
    assert!(image_from_bytes(&elf[..elf_len - 1]).is_err());
    assert!(image_from_bytes(&elf[..10]).is_err());
    let mut bad = elf.clone();
    put_u64(&mut bad, 0x28, u64::MAX - 10);
    assert!(image_from_bytes(&bad).is_err());
    let mut bad = elf.clone();
    put_u64(&mut bad, 80 + 64 + 0x20, u64::MAX); // section size
    assert!(image_from_bytes(&bad).is_err());
    let mut bad = elf.clone();
    put_u16(&mut bad, 0x3a, 8); // section header too small to hold its fields
    assert!(image_from_bytes(&bad).is_err());
    let mut bad = elf.clone();
    bad[4] = 9;
    assert!(image_from_bytes(&bad).is_err());

    // Wrapper: bad version; data pointer outside the buffer; NULL data.
    let mut w = vec![0u8; 24];
    put_u32(&mut w, 0, 0x466243B1);
    put_u32(&mut w, 4, 3);
    assert!(matches!(image_from_bytes(&w), Err(Error::Malformed { what: "fatbin wrapper", .. })));
    put_u32(&mut w, 4, 1);
    assert!(image_from_bytes(&w).is_err());
    put_u64(&mut w, 8, 0x1000);
    assert!(image_from_bytes(&w).is_err());
    assert!(image_from_bytes(&w[..20]).is_err());

    // Version-2 wrapper whose prelinked list has no terminator inside the buffer.
    let f = fatbin_of(&[]);
    let mut buf = vec![0u8; 24 + 16 + 8];
    let base = buf.as_ptr() as u64;
    put_u32(&mut buf, 0, 0x466243B1);
    put_u32(&mut buf, 4, 2);
    put_u64(&mut buf, 8, base + 24);
    put_u64(&mut buf, 16, base + 40);
    buf[24..40].copy_from_slice(&f);
    put_u64(&mut buf, 40, base + 24); // one entry, then the buffer ends
    assert!(matches!(image_from_bytes(&buf), Err(Error::Truncated { what: "prelinked fatbin list", .. })));
    assert_eq!(buf.as_ptr() as u64, base);

    assert!(unsafe { image_from_ptr(std::ptr::null()) }.is_err());
}

/// Every public entry point on the same bytes; the results do not matter, only that
/// nothing panics or reads out of bounds.
fn exercise(bytes: &[u8]) {
    if let Ok((fb, used)) = Fatbin::parse(bytes) {
        assert!(used <= bytes.len());
        for e in &fb.entries {
            let _ = e.data();
            let _ = e.ptx_text();
            let _ = e.to_string();
        }
        let _ = select_ptx(&fb.entries, 75).map_err(|e| e.to_string());
    }
    let _ = parse_all(bytes);
    let copy = bytes.to_vec();
    if let Ok(img) = image_from_bytes(&copy) {
        for f in img.fatbins() {
            let _ = f.to_string();
        }
    }
    let _ = fatbin::fatbins_in_file(bytes);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        exercise(&bytes);
    }

    /// Arbitrary bytes behind a valid fatbin magic, so the header checks are passed more
    /// often than by chance.
    #[test]
    fn arbitrary_fatbin_bodies_never_panic(body in proptest::collection::vec(any::<u8>(), 0..512)) {
        let mut bytes = vec![0x50, 0xed, 0x55, 0xba, 1, 0, 16, 0];
        bytes.extend_from_slice(&(body.len() as u64).to_le_bytes());
        bytes.extend_from_slice(&body);
        exercise(&bytes);
    }

    /// A valid sample with a few bytes overwritten: reaches decompression and the
    /// options/name fields with corrupt values.
    #[test]
    fn mutated_fatbins_never_panic(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut bytes = sample();
        for (at, value) in edits {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        exercise(&bytes);
        let n = cut.index(bytes.len() + 1);
        exercise(&bytes[..n]);
    }
}

/// A synthetic cubin header: ELF64, EM_CUDA, ABI version `abi`, `e_flags`, optional `-arch` text.
fn cubin(abi: u8, e_flags: u32, arch_text: &[u8]) -> Vec<u8> {
    let mut b = vec![0u8; 64];
    b[..4].copy_from_slice(b"\x7fELF");
    b[4] = 2;
    b[8] = abi;
    put_u16(&mut b, 18, 190);
    put_u32(&mut b, 48, e_flags);
    b.extend_from_slice(arch_text);
    b
}

#[test]
fn standalone_cubins() {
    let (a, b, c) = (cubin(8, 0x600_5a04, b"\0-arch sm_90a -m 64 \0"), cubin(8, 0x600_6402, b"-arch sm_100f -m 64"), cubin(7, 0x50_0550, b""));
    let e = fatbin::standalone_cubin("dir/k.cubin", &a).unwrap();
    assert_eq!((e.kind, e.arch, e.arch_variant(), e.name.as_str()), (EntryKind::Elf, 90, fatbin::ArchVariant::Specific, "k.cubin"));
    let e = fatbin::standalone_cubin("k", &b).unwrap();
    assert_eq!((e.arch, e.arch_variant()), (100, fatbin::ArchVariant::Family));
    let e = fatbin::standalone_cubin("k", &c).unwrap();
    assert_eq!((e.arch, e.arch_variant()), (80, fatbin::ArchVariant::Generic), "older ABI: arch in the low byte");
    assert_eq!(e.data().unwrap().len(), 64);
    // Not cubins: host ELF, 32-bit, truncated, empty.
    let mut host = cubin(8, 0, b"");
    put_u16(&mut host, 18, 62);
    assert!(fatbin::standalone_cubin("k", &host).is_none());
    let mut elf32 = cubin(8, 0, b"");
    elf32[4] = 1;
    assert!(fatbin::standalone_cubin("k", &elf32).is_none());
    assert!(fatbin::standalone_cubin("k", &cubin(8, 0, b"")[..63]).is_none());
    assert!(fatbin::standalone_cubin("k", b"").is_none());
}

proptest! {
    #[test]
    fn standalone_cubin_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200), abi in any::<u8>()) {
        let mut b = cubin(abi, 0, b"");
        b.extend(bytes);
        let _ = fatbin::standalone_cubin("x", &b);
        let _ = fatbin::standalone_cubin("x", &b[..b.len() / 2]);
    }
}

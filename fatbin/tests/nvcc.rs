//! End-to-end tests against the real toolchain: build small CUDA programs with nvcc in the
//! modes that shape the fatbin differently, read them with this crate, and require the
//! same answers as `cuobjdump` (listings and extracted bytes). Each test is skipped, with
//! a printed reason, when nvcc is not installed.

mod common;

use std::path::Path;

use common::{compare_with_cuobjdump, toolkit, work_dir};
use fatbin::{
    fatbins_in_file, flags, image_from_bytes, image_from_ptr, select_ptx, ArchVariant, Compression, Entry,
    EntryKind, Fatbin, Image,
};

fn read(file: &Path) -> Vec<u8> {
    std::fs::read(file).unwrap()
}

fn entries<'f, 'a>(fatbins: &'f [Fatbin<'a>]) -> Vec<&'f Entry<'a>> {
    fatbins.iter().flat_map(|f| &f.entries).collect()
}

/// (arch name, variant) of the entry `select_ptx` picks for `cc`, or its error message.
fn pick(fatbins: &[Fatbin], cc: u32) -> Result<String, String> {
    select_ptx(fatbins.iter().flat_map(|f| &f.entries), cc)
        .map(|e| e.arch_name())
        .map_err(|e| e.to_string())
}

macro_rules! need_toolkit {
    ($name:expr) => {
        match toolkit($name) {
            Some(tk) => tk,
            None => return,
        }
    };
}

#[test]
fn default_build_has_sm75_cubin_and_zstd_ptx() {
    let tk = need_toolkit!("default_build_has_sm75_cubin_and_zstd_ptx");
    let dir = work_dir("default");
    let exe = tk.build(&dir, "vadd.cu", "vadd", &[]);
    let bytes = read(&exe);
    let fatbins = fatbins_in_file(&bytes).unwrap();

    // nvcc's device-link step adds a fatbin with an empty sm_75 cubin before the TU's.
    assert_eq!(fatbins.len(), 2);
    assert_eq!(fatbins[0].entries.len(), 1);
    assert_eq!(fatbins[0].entries[0].kind, EntryKind::Elf);
    let tu = &fatbins[1];
    assert_eq!(tu.entries.len(), 2);
    let (elf, ptx) = (&tu.entries[0], &tu.entries[1]);
    assert_eq!((elf.kind, elf.arch, elf.arch_name().as_str()), (EntryKind::Elf, 75, "sm_75"));
    assert!(!elf.is_compressed());
    assert!(elf.data().unwrap().starts_with(b"\x7fELF"));
    assert_eq!((ptx.kind, ptx.arch_name().as_str()), (EntryKind::Ptx, "compute_75"));
    assert_eq!(ptx.compression(), Some(Compression::Zstd));
    assert_eq!(ptx.header_size, 0x50);
    assert_eq!(ptx.options, "");
    assert_eq!(ptx.code_version.0, 9, "PTX ISA 9.x from nvcc 13");
    let text = ptx.ptx_text().unwrap();
    assert!(text.contains(".target sm_75") && text.contains(".entry _Z4vaddPKfS0_Pfi"));
    assert_eq!(ptx.data().unwrap().len() as u64, ptx.uncompressed_size);
    assert_eq!(ptx.uncompressed_size as usize, text.len() + 1, "PTX text plus one NUL");

    assert_eq!(pick(&fatbins, 75).unwrap(), "compute_75");
    assert_eq!(pick(&fatbins, 120).unwrap(), "compute_75");
    assert_eq!(
        pick(&fatbins, 70).unwrap_err(),
        "no PTX for compute_70 or lower; present: sm_75 (ELF), compute_75 (PTX)"
    );

    let c = compare_with_cuobjdump(&tk, &exe, false);
    assert_eq!((c.ptx_files, c.elf_files), (1, 2));
    compare_with_cuobjdump(&tk, &exe, true);
}

#[test]
fn ptx_only_build_compute_80() {
    let tk = need_toolkit!("ptx_only_build_compute_80");
    let dir = work_dir("compute_80");
    let exe = tk.build(&dir, "vadd.cu", "vadd_c80", &["-arch=compute_80"]);
    let bytes = read(&exe);
    let fatbins = fatbins_in_file(&bytes).unwrap();
    // The device-link fatbin is empty: a 16-byte header with payload size 0.
    assert_eq!(fatbins.len(), 2);
    assert_eq!((fatbins[0].entries.len(), fatbins[0].bytes.len()), (0, 16));
    let all = entries(&fatbins);
    assert_eq!(all.len(), 1);
    assert_eq!((all[0].kind, all[0].arch, all[0].compression()), (EntryKind::Ptx, 80, Some(Compression::Zstd)));
    assert_eq!(all[0].flags, flags::COMPRESSED_ZSTD | flags::LINUX | flags::ADDRESS_64);

    assert_eq!(pick(&fatbins, 75).unwrap_err(), "no PTX for compute_75 or lower; present: compute_80 (PTX)");
    assert_eq!(pick(&fatbins, 80).unwrap(), "compute_80");
    assert_eq!(pick(&fatbins, 86).unwrap(), "compute_80");

    let c = compare_with_cuobjdump(&tk, &exe, false);
    assert_eq!((c.ptx_files, c.elf_files), (1, 0));
}

#[test]
fn uncompressed_build() {
    let tk = need_toolkit!("uncompressed_build");
    let dir = work_dir("none");
    let exe = tk.build(&dir, "vadd.cu", "vadd_none", &["--compress-mode=none"]);
    let bytes = read(&exe);
    let fatbins = fatbins_in_file(&bytes).unwrap();
    for e in entries(&fatbins) {
        assert!(!e.is_compressed(), "{e}");
        assert_eq!((e.stored_size, e.uncompressed_size), (0, 0));
    }
    let ptx = select_ptx(entries(&fatbins), 75).unwrap();
    // Stored as text + NUL, padded to 8 bytes.
    assert_eq!(ptx.payload.len() % 8, 0);
    assert!(ptx.payload.ends_with(b"\0"));
    compare_with_cuobjdump(&tk, &exe, false);
}

#[test]
fn lz4_build_compress_mode_speed() {
    let tk = need_toolkit!("lz4_build_compress_mode_speed");
    let dir = work_dir("speed");
    let exe = tk.build(&dir, "two_kernels.cu", "two_speed", &["--compress-mode=speed"]);
    let bytes = read(&exe);
    let fatbins = fatbins_in_file(&bytes).unwrap();
    let ptx = select_ptx(entries(&fatbins), 75).unwrap();
    assert_eq!(ptx.compression(), Some(Compression::Lz4));
    // A raw block, not an LZ4 frame (magic 04 22 4d 18).
    assert!(!ptx.payload.starts_with(&[0x04, 0x22, 0x4d, 0x18]));
    let text = ptx.ptx_text().unwrap();
    assert!(text.contains(".entry _Z7squaresPfPKfi") && text.contains(".entry _Z4fillPiii"));
    compare_with_cuobjdump(&tk, &exe, false);
}

#[test]
fn compress_all_also_compresses_cubins() {
    let tk = need_toolkit!("compress_all_also_compresses_cubins");
    let dir = work_dir("compress_all");
    let exe = tk.build(&dir, "vadd.cu", "vadd_call", &["-Xfatbin=-compress-all"]);
    let bytes = read(&exe);
    let fatbins = fatbins_in_file(&bytes).unwrap();
    let cubins: Vec<_> = entries(&fatbins).into_iter().filter(|e| e.kind == EntryKind::Elf).collect();
    assert!(cubins.iter().any(|e| e.compression() == Some(Compression::Zstd)));
    compare_with_cuobjdump(&tk, &exe, false);
}

#[test]
fn gencode_two_archs() {
    let tk = need_toolkit!("gencode_two_archs");
    let dir = work_dir("gencode");
    let exe = tk.build(
        &dir,
        "two_kernels.cu",
        "two_gencode",
        &["-gencode", "arch=compute_75,code=[sm_75,compute_75]", "-gencode", "arch=compute_86,code=compute_86"],
    );
    let bytes = read(&exe);
    let fatbins = fatbins_in_file(&bytes).unwrap();
    let ptx: Vec<String> =
        entries(&fatbins).iter().filter(|e| e.kind == EntryKind::Ptx).map(|e| e.arch_name()).collect();
    assert_eq!(ptx, ["compute_75", "compute_86"]);
    assert_eq!(pick(&fatbins, 75).unwrap(), "compute_75");
    assert_eq!(pick(&fatbins, 80).unwrap(), "compute_75");
    assert_eq!(pick(&fatbins, 86).unwrap(), "compute_86");
    assert_eq!(pick(&fatbins, 90).unwrap(), "compute_86");
    assert_eq!(
        pick(&fatbins, 61).unwrap_err(),
        "no PTX for compute_61 or lower; present: sm_75 (ELF), compute_75 (PTX), compute_86 (PTX)"
    );
    let c = compare_with_cuobjdump(&tk, &exe, false);
    assert_eq!((c.ptx_files, c.elf_files), (2, 2));
}

/// `compute_90a` PTX may run only on 9.0; nvcc's `-arch=compute_90a` shorthand also
/// embeds a generic compute_90 PTX. The letter is a flag bit, the arch field says 90.
#[test]
fn arch_specific_targets() {
    let tk = need_toolkit!("arch_specific_targets");
    let dir = work_dir("arch_specific");
    let exe = tk.build(&dir, "vadd.cu", "vadd_90a", &["-arch=compute_90a"]);
    let bytes = read(&exe);
    let fatbins = fatbins_in_file(&bytes).unwrap();
    let all = entries(&fatbins);
    let names: Vec<_> = all.iter().map(|e| (e.arch, e.arch_variant(), e.arch_name())).collect();
    assert_eq!(
        names,
        [(90, ArchVariant::Generic, "compute_90".to_string()), (90, ArchVariant::Specific, "compute_90a".to_string())]
    );
    assert_ne!(all[1].flags & flags::ARCH_SPECIFIC, 0);
    assert!(all[1].ptx_text().unwrap().contains(".target sm_90a"));
    // At equal arch the generic PTX is preferred; above 9.0 only it is usable.
    assert_eq!(pick(&fatbins, 90).unwrap(), "compute_90");
    assert_eq!(pick(&fatbins, 100).unwrap(), "compute_90");
    compare_with_cuobjdump(&tk, &exe, false);

    // Only the arch-specific PTX: usable on exactly 9.0.
    let only = tk.build(&dir, "vadd.cu", "vadd_only90a", &["-gencode", "arch=compute_90a,code=compute_90a"]);
    let bytes = read(&only);
    let fatbins = fatbins_in_file(&bytes).unwrap();
    assert_eq!(pick(&fatbins, 90).unwrap(), "compute_90a");
    assert_eq!(pick(&fatbins, 100).unwrap_err(), "no PTX for compute_100 or lower; present: compute_90a (PTX)");
    compare_with_cuobjdump(&tk, &only, false);

    // Cubins for sm_90a carry the same flag; cuobjdump names them sm_90a too.
    let sass = tk.build(&dir, "vadd.cu", "vadd_sm90a", &["-arch=sm_90a"]);
    let bytes = read(&sass);
    let fatbins = fatbins_in_file(&bytes).unwrap();
    assert!(entries(&fatbins).iter().any(|e| e.kind == EntryKind::Elf && e.arch_name() == "sm_90a"));
    compare_with_cuobjdump(&tk, &sass, false);
}

/// `compute_100f` PTX runs on 10.x at or above 10.0. sm_100+ cubin entries have longer
/// headers (0x60, 0x78) with a binary block at the options offset.
#[test]
fn family_specific_targets() {
    let tk = need_toolkit!("family_specific_targets");
    let dir = work_dir("family_specific");
    let exe = tk.build(&dir, "vadd.cu", "vadd_100f", &["-gencode", "arch=compute_100f,code=compute_100f"]);
    let bytes = read(&exe);
    let fatbins = fatbins_in_file(&bytes).unwrap();
    assert_eq!(pick(&fatbins, 100).unwrap(), "compute_100f");
    assert_eq!(pick(&fatbins, 103).unwrap(), "compute_100f");
    assert!(pick(&fatbins, 120).is_err());
    assert!(pick(&fatbins, 90).is_err());
    compare_with_cuobjdump(&tk, &exe, false);

    let sass = tk.build(&dir, "vadd.cu", "vadd_sm100f", &["-arch=sm_100f"]);
    let bytes = read(&sass);
    let fatbins = fatbins_in_file(&bytes).unwrap();
    let cubins: Vec<_> = entries(&fatbins).into_iter().filter(|e| e.kind == EntryKind::Elf).collect();
    assert!(cubins.iter().all(|e| e.header_size > 0x40 && e.arch_variant() == ArchVariant::Family));
    assert!(cubins.iter().all(|e| e.options.is_empty()), "binary block is not ptxas options");
    // cuobjdump calls these cubins sm_100 (no "f") but the PTX sm_100f.
    compare_with_cuobjdump(&tk, &sass, false);
}

/// `-G` device debug: entries carry the source file name (cuobjdump then drops the
/// number from its file names), PTX carries ptxas options, and cubins are zstd-compressed.
#[test]
fn device_debug_build_names_and_options() {
    let tk = need_toolkit!("device_debug_build_names_and_options");
    let dir = work_dir("debug");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::copy(common::data_file("vadd.cu"), dir.join("sub/k.x.cu")).unwrap();
    tk.nvcc(&dir, &["-G", "-o", "vadd_debug", "./sub/k.x.cu"]);
    let exe = dir.join("vadd_debug");
    let bytes = read(&exe);
    let fatbins = fatbins_in_file(&bytes).unwrap();
    for e in entries(&fatbins) {
        assert_ne!(e.flags & flags::DEBUG, 0);
        assert_eq!(e.compression(), Some(Compression::Zstd), "{e}");
        assert_eq!(e.name.trim(), "./sub/k.x.cu");
    }
    let ptx = select_ptx(entries(&fatbins), 75).unwrap();
    assert!(ptx.options.contains("-g --dont-merge-basicblocks --return-at-end"), "{:?}", ptx.options);
    let listing = fatbin::cuobjdump_listing("vadd_debug", &fatbins, true, true);
    assert!(listing.contains("PTX file    1: k.x.sm_75.ptx"), "{listing}");
    compare_with_cuobjdump(&tk, &exe, false);
}

#[test]
fn ptxas_options_are_recorded() {
    let tk = need_toolkit!("ptxas_options_are_recorded");
    let dir = work_dir("ptxas_options");
    let exe = tk.build(&dir, "vadd.cu", "vadd_opts", &["-arch=compute_80", "-Xptxas", "-O2", "-Xptxas", "--maxrregcount=32"]);
    let bytes = read(&exe);
    let fatbins = fatbins_in_file(&bytes).unwrap();
    let ptx = select_ptx(entries(&fatbins), 80).unwrap();
    assert_eq!(ptx.options.trim_end(), "-O2 --maxrregcount=32");
    assert!(ptx.to_string().contains("options \"-O2 --maxrregcount=32"));
    compare_with_cuobjdump(&tk, &exe, false);
}

/// Relocatable device code: objects keep fatbins in `__nv_relfatbin`; the linked
/// executable has both sections and cuobjdump shows only `.nv_fatbin` unless `-all`.
#[test]
fn relocatable_device_code() {
    let tk = need_toolkit!("relocatable_device_code");
    let dir = work_dir("rdc");
    let src = common::data_file("vadd.cu");
    tk.nvcc(&dir, &["-rdc=true", "-c", "-o", "vadd_rdc.o", src.to_str().unwrap()]);
    tk.nvcc(&dir, &["-rdc=true", "-o", "vadd_rdc", "vadd_rdc.o"]);
    tk.nvcc(&dir, &["-c", "-o", "vadd_plain.o", src.to_str().unwrap()]);

    let obj = dir.join("vadd_rdc.o");
    let c = compare_with_cuobjdump(&tk, &obj, false);
    assert_eq!((c.ptx_files, c.elf_files), (1, 1));
    let exe = dir.join("vadd_rdc");
    let c = compare_with_cuobjdump(&tk, &exe, false);
    assert_eq!((c.ptx_files, c.elf_files), (0, 1));
    let c = compare_with_cuobjdump(&tk, &exe, true);
    assert_eq!((c.ptx_files, c.elf_files), (1, 2));
    compare_with_cuobjdump(&tk, &dir.join("vadd_plain.o"), false);
}

/// Shared library (name with several dots), raw `.fatbin` file.
#[test]
fn shared_library_and_raw_fatbin_file() {
    let tk = need_toolkit!("shared_library_and_raw_fatbin_file");
    let dir = work_dir("shared");
    let lib = tk.build(&dir, "two_kernels.cu", "libtwo.so.1", &["-shared", "-Xcompiler", "-fPIC"]);
    compare_with_cuobjdump(&tk, &lib, false);
    let raw = tk.build(&dir, "two_kernels.cu", "two.fatbin", &["-fatbin"]);
    let c = compare_with_cuobjdump(&tk, &raw, false);
    assert_eq!((c.ptx_files, c.elf_files), (1, 1));
    // A cubin is not a host file.
    let cubin = tk.build(&dir, "two_kernels.cu", "two.cubin", &["-cubin", "-arch=sm_75"]);
    assert!(fatbins_in_file(&read(&cubin)).is_err());
}

/// The four kinds of image the driver receives by pointer, from real nvcc output.
#[test]
fn images_by_pointer() {
    let tk = need_toolkit!("images_by_pointer");
    let dir = work_dir("images");
    let exe = tk.build(&dir, "vadd.cu", "vadd", &[]);
    let bytes = read(&exe);
    let fatbins = fatbins_in_file(&bytes).unwrap();
    let tu = &fatbins[1];

    // Bare fatbin, copied with trailing junk that its header says to ignore.
    let mut copy = tu.bytes.to_vec();
    copy.extend_from_slice(b"junk after the fatbin");
    let Image::Fatbin(f) = image_from_bytes(&copy).unwrap() else { panic!("not a fatbin") };
    assert_eq!(f.entries, Fatbin::parse(tu.bytes).unwrap().0.entries);
    let Image::Fatbin(f) = (unsafe { image_from_ptr(copy.as_ptr()) }).unwrap() else { panic!() };
    assert_eq!(f.bytes.len(), tu.bytes.len());

    // Cubin: sized from its ELF header, trailing bytes ignored.
    let cubin = tu.entries[0].data().unwrap().into_owned();
    let mut copy = cubin.clone();
    copy.extend_from_slice(&[0xab; 100]);
    assert_eq!(image_from_bytes(&copy).unwrap(), Image::Elf(&copy[..cubin.len()]));
    let Image::Elf(e) = (unsafe { image_from_ptr(copy.as_ptr()) }).unwrap() else { panic!() };
    assert_eq!(e.len(), cubin.len());

    // PTX text, NUL-terminated.
    let text = tu.entries[1].ptx_text().unwrap();
    let mut c_text = text.clone().into_bytes();
    c_text.push(0);
    assert_eq!(image_from_bytes(&c_text).unwrap(), Image::Ptx(&text));
    assert_eq!((unsafe { image_from_ptr(c_text.as_ptr()) }).unwrap(), Image::Ptx(text.as_str()));

    // Wrappers (version 1 and 2 with a prelinked list) laid out in one buffer so that
    // the checked reader can follow their pointers.
    for version in [1u32, 2] {
        let fb = fatbins[0].bytes; // device-link fatbin as the prelinked one
        let (w, fat, list, pre) = (0usize, 32usize, 32 + tu.bytes.len().next_multiple_of(8), 0);
        let pre_at = list + 16;
        let mut buf = vec![0u8; pre_at + fb.len()];
        let base = buf.as_ptr() as u64;
        buf[fat..fat + tu.bytes.len()].copy_from_slice(tu.bytes);
        buf[pre_at..].copy_from_slice(fb);
        buf[list..list + 8].copy_from_slice(&(base + pre_at as u64).to_le_bytes());
        buf[list + 8..list + 16].copy_from_slice(&(pre as u64).to_le_bytes()); // NULL terminator
        buf[w..w + 4].copy_from_slice(&0x466243B1u32.to_le_bytes());
        buf[w + 4..w + 8].copy_from_slice(&version.to_le_bytes());
        buf[w + 8..w + 16].copy_from_slice(&(base + fat as u64).to_le_bytes());
        buf[w + 16..w + 24].copy_from_slice(&(base + list as u64).to_le_bytes());
        assert_eq!(buf.as_ptr() as u64, base, "buffer must not move");

        for image in [image_from_bytes(&buf).unwrap(), unsafe { image_from_ptr(buf.as_ptr()) }.unwrap()] {
            let Image::Wrapper { version: v, fatbin, prelinked } = &image else { panic!("not a wrapper") };
            assert_eq!(*v, version);
            assert_eq!(fatbin.bytes, tu.bytes);
            // Version 1's second field is a file name, never a list.
            assert_eq!(prelinked.len(), if version == 2 { 1 } else { 0 });
            assert_eq!(image.fatbins().len(), 1 + prelinked.len());
            assert_eq!(select_ptx(image.fatbins().into_iter().flat_map(|f| &f.entries), 75).unwrap().arch, 75);
        }
        // A copy of the wrapper alone points outside its buffer: rejected, not followed.
        let wrapper_alone = buf[..24].to_vec();
        assert!(image_from_bytes(&wrapper_alone).is_err());
    }
}

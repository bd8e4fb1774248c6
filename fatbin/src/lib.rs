//! Reader for NVIDIA fatbin containers: the device code nvcc embeds in executables and
//! libraries, and that CUDA programs hand to the driver.
//!
//! cuemu is a CPU implementation of the CUDA driver. It never runs SASS (the GPU machine
//! code in cubins); it runs the PTX that nvcc stores next to it. So the driver needs to:
//!
//! 1. decode whatever image a program passes by pointer — a `__fatBinC_Wrapper_t`, a bare
//!    fatbin, a cubin or PTX text ([`image_from_ptr`]);
//! 2. find the entries in it and decompress them — nvcc 13 compresses PTX with zstd by
//!    default, and `--compress-mode=speed` uses raw LZ4 blocks ([`Fatbin`], [`Entry::data`]);
//! 3. choose the PTX entry that fits the emulated device ([`select_ptx`]), or explain why
//!    none does (`CUDA_ERROR_NO_BINARY_FOR_GPU`).
//!
//! For the `cuemu fatbin` command-line tool it also reads fatbins from files on disk and
//! names entries exactly as `cuobjdump` does ([`fatbins_in_file`], [`cuobjdump_listing`]),
//! so output can be compared with NVIDIA's tool byte for byte.
//!
//! All parsing is bounds-checked: container bytes come from programs we do not control,
//! and a malformed size field gives an [`Error`], never a panic or an out-of-bounds read.
//! The one exception is by necessity [`image_from_ptr`], which receives a pointer without a
//! length and must trust the headers it finds (see its safety contract);
//! [`image_from_bytes`] runs the same decoding with bounds checks.
//!
//! ```
//! // What the driver does with a pointer from cuModuleLoadData (here: PTX text).
//! let image = b".version 9.5\n.target sm_75\n.address_size 64\n\0";
//! match unsafe { fatbin::image_from_ptr(image.as_ptr()) }? {
//!     fatbin::Image::Ptx(text) => assert!(text.starts_with(".version")),
//!     other => {
//!         // Wrappers and fatbins: pick the PTX for the emulated device (7.5).
//!         let fatbins = other.fatbins();
//!         let ptx = fatbin::select_ptx(fatbins.iter().flat_map(|f| &f.entries), 75)?;
//!         let _source = ptx.ptx_text()?;
//!     }
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Listing a host binary the way `cuobjdump -lptx -lelf` does:
//!
//! ```no_run
//! let path = "vadd";
//! let bytes = std::fs::read(path)?;
//! let fatbins = fatbin::fatbins_in_file(&bytes)?;
//! print!("{}", fatbin::cuobjdump_listing(path, &fatbins, true, true));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The format is described in `shared/notes/fatbin-format.md` and in the docs of the
//! [`container`] module; everything here was measured against nvcc/cuobjdump 13.5.

pub mod container;
mod error;
mod host;
mod image;
mod select;

pub use container::{parse_all, ArchVariant, Entry, EntryKind, Fatbin, FATBIN_MAGIC};
pub use error::{Compression, Error};
pub use host::{all_fatbins_in_file, cuobjdump_files, cuobjdump_listing, fatbins_in_file, standalone_cubin, CuobjdumpFile};
pub use image::{image_from_bytes, image_from_ptr, Image, WRAPPER_MAGIC};
pub use select::{select_ptx, NoPtx};

/// Bits of [`Entry::flags`]. Unknown bits (cuBLAS and sm_100+ cubins set e.g. `0x1000000`)
/// are kept in the field and otherwise ignored.
pub mod flags {
    /// 64-bit device code (set in every entry nvcc 13 writes).
    pub const ADDRESS_64: u64 = 0x1;
    /// Device debug information (`nvcc -G`); debug cubins are compressed too.
    pub const DEBUG: u64 = 0x2;
    /// Built on Linux.
    pub const LINUX: u64 = 0x10;
    /// Built on macOS.
    pub const MAC: u64 = 0x20;
    /// Built on Windows.
    pub const WINDOWS: u64 = 0x40;
    /// Payload is a raw LZ4 block (`--compress-mode=speed`).
    pub const COMPRESSED_LZ4: u64 = 0x2000;
    /// Payload is a zstd frame (nvcc 13's default for PTX).
    pub const COMPRESSED_ZSTD: u64 = 0x8000;
    /// Arch-specific target (`sm_90a`, `compute_90a`): runs only on exactly that arch.
    /// The `arch` field holds just the number.
    pub const ARCH_SPECIFIC: u64 = 0x10_0000;
    /// Family-specific target (`sm_100f`, `compute_100f`): runs on the same major version
    /// at or above the arch.
    pub const FAMILY_SPECIFIC: u64 = 0x20_0000;
}

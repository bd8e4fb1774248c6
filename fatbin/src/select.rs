//! Choosing which entry of a module to run.
//!
//! The emulator cannot execute SASS, so it always runs PTX, translated on the fly — the
//! same thing the real driver does when a fatbin has no cubin for the device ("JIT").
//! The rules follow what the driver allows for JIT: `compute_XY` PTX runs on compute
//! capability ≥ X.Y; `compute_XYf` only within the same major version; `compute_XYa` only
//! on X.Y exactly (these letters live in the entry flags, see [`crate::flags`]).
//! Among usable entries the highest arch wins (it may use newer features the program
//! wants); at equal arch a generic entry is preferred over `f` over `a`, because the
//! emulator implements the portable ISA and the specific variants only add instructions
//! (wgmma, tcgen05, …) it is least likely to support.

use std::fmt;

use crate::container::{ArchVariant, Entry, EntryKind};

/// No PTX entry can run on the requested compute capability. The driver reports this as
/// `CUDA_ERROR_NO_BINARY_FOR_GPU`; the message lists what the image did contain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoPtx {
    /// The compute capability asked for (75 for 7.5).
    pub cc: u32,
    /// The entries present, as "compute_90 (PTX)" / "sm_75 (ELF)", without duplicates.
    pub present: Vec<String>,
}

impl fmt::Display for NoPtx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no PTX for compute_{} or lower; ", self.cc)?;
        if self.present.is_empty() {
            f.write_str("the image has no entries")
        } else {
            write!(f, "present: {}", self.present.join(", "))
        }
    }
}

impl std::error::Error for NoPtx {}

/// Picks the PTX entry to run on a device of compute capability `cc` (`75` for 7.5): the
/// usable PTX entry (see [`Entry::runs_on`]) with the highest arch; at equal arch generic
/// before family- before arch-specific; at a full tie the first in order.
pub fn select_ptx<'e, 'a>(
    entries: impl IntoIterator<Item = &'e Entry<'a>>,
    cc: u32,
) -> Result<&'e Entry<'a>, NoPtx>
where
    'a: 'e,
{
    let mut best: Option<&'e Entry<'a>> = None;
    let mut present: Vec<String> = Vec::new();
    for entry in entries {
        let label = format!("{} ({})", entry.arch_name(), entry.kind);
        if !present.contains(&label) {
            present.push(label);
        }
        if entry.kind != EntryKind::Ptx || !entry.runs_on(cc) {
            continue;
        }
        let rank = |e: &Entry| (e.arch, std::cmp::Reverse(e.arch_variant()));
        if best.is_none_or(|b| rank(entry) > rank(b)) {
            best = Some(entry);
        }
    }
    best.ok_or(NoPtx { cc, present })
}

// Keep the ordering the ranking relies on explicit.
const _: () = {
    assert!((ArchVariant::Generic as u8) < (ArchVariant::Family as u8));
    assert!((ArchVariant::Family as u8) < (ArchVariant::Specific as u8));
};

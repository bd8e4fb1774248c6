//! Launch attributes of graph kernel nodes (`cuGraphKernelNodeGetAttribute`/`SetAttribute`/
//! `CopyAttributes`), as NVIDIA's driver 580 answers them (tests/programs/graph_attrs.cu and
//! its golden): a node has the attributes ACCESS_POLICY_WINDOW (1), COOPERATIVE (2),
//! CLUSTER_DIMENSION (4), CLUSTER_SCHEDULING_POLICY_PREFERENCE (5), PRIORITY (8),
//! MEM_SYNC_DOMAIN_MAP (9), MEM_SYNC_DOMAIN (10), DEVICE_UPDATABLE_KERNEL_NODE (13) and
//! PREFERRED_SHARED_MEMORY_CARVEOUT (14), all zero on a new node but the domain map ({0, 1}); any other id, or a node that
//! is not a kernel, is CUDA_ERROR_INVALID_VALUE. A get writes only the value's own bytes (28
//! for the window, 2 for the domain map, 4 + 8 at offset 8 for the updatable-node pair, 12
//! for a cluster shape, 4 otherwise). A priority is clamped to the device's range, a window
//! with a hit ratio outside [0, 1] or an unknown property is refused, a cluster shape is
//! checked as at launch (CUDA_ERROR_INVALID_CLUSTER_SIZE) and is the one the kernel then runs
//! with. A captured cuLaunchKernelEx keeps its attributes. Only the cluster shape and
//! cooperative change what runs; the others are kept to be read back.

use super::context::{STREAM_PRIORITY_GREATEST, STREAM_PRIORITY_LEAST};
use super::graph::KernelNode;
use super::launch;
use super::memops::{CUaccessPolicyWindow, ATTR_ACCESS_POLICY_WINDOW as ACCESS_POLICY_WINDOW, ATTR_MEM_SYNC_DOMAIN as MEM_SYNC_DOMAIN};
use super::memops::{ATTR_MEM_SYNC_DOMAIN_MAP as MEM_SYNC_DOMAIN_MAP, ATTR_PRIORITY as PRIORITY};
use crate::api::errors::*;
use crate::api::CuResult;
use std::ffi::{c_int, c_uint};

const COOPERATIVE: c_uint = 2;
const CLUSTER_DIMENSION: c_uint = 4;
const CLUSTER_SCHEDULING_POLICY: c_uint = 5;
const DEVICE_UPDATABLE_KERNEL_NODE: c_uint = 13;
const PREFERRED_SHARED_MEMORY_CARVEOUT: c_uint = 14;

/// The byte ranges of the 64-byte value union an attribute occupies.
fn extent(id: c_uint) -> Option<&'static [std::ops::Range<usize>]> {
    Some(match id {
        ACCESS_POLICY_WINDOW => &[0..28],
        CLUSTER_DIMENSION => &[0..12],
        MEM_SYNC_DOMAIN_MAP => &[0..2],
        DEVICE_UPDATABLE_KERNEL_NODE => &[0..4, 8..16],
        COOPERATIVE | CLUSTER_SCHEDULING_POLICY | PRIORITY | MEM_SYNC_DOMAIN | PREFERRED_SHARED_MEMORY_CARVEOUT => &[0..4],
        _ => return None,
    })
}

/// The stored attributes that do not change what runs (cluster shape and cooperative live in
/// the node's `cluster`), by id.
#[derive(Clone, Default, Debug)]
pub struct LaunchAttrs(Vec<(c_uint, [u8; 64])>);

impl LaunchAttrs {
    fn get(&self, id: c_uint) -> [u8; 64] {
        let mut unset = [0; 64];
        if id == MEM_SYNC_DOMAIN_MAP {
            unset[1] = 1; // the remote domain maps to 1, as on a new stream
        }
        self.0.iter().find(|(i, _)| *i == id).map_or(unset, |(_, v)| *v)
    }

    /// Stores a launch attribute (`cuLaunchKernelEx`, `cuGraphKernelNodeSetAttribute`) after
    /// the driver's checks; ids outside a kernel node's set are ignored here (a launch
    /// accepts them).
    pub fn set(&mut self, id: c_uint, v: &[u8; 64]) -> CuResult {
        let mut v = *v;
        match id {
            ACCESS_POLICY_WINDOW => {
                // SAFETY: a 64-byte buffer holds the 32-byte struct.
                let w = unsafe { (v.as_ptr() as *const CUaccessPolicyWindow).read_unaligned() };
                // CUaccessProperty: NORMAL 0, STREAMING 1, PERSISTING 2.
                if !(0.0..=1.0).contains(&w.hit_ratio) || w.hit_prop > 2 || w.miss_prop > 2 {
                    return Err(CUDA_ERROR_INVALID_VALUE);
                }
            }
            PRIORITY => {
                let p = c_int::from_ne_bytes(v[..4].try_into().unwrap()).clamp(STREAM_PRIORITY_GREATEST, STREAM_PRIORITY_LEAST);
                v[..4].copy_from_slice(&p.to_ne_bytes());
            }
            _ if extent(id).is_none() || id == COOPERATIVE || id == CLUSTER_DIMENSION => return Ok(()),
            _ => {}
        }
        self.0.retain(|(i, _)| *i != id);
        self.0.push((id, v));
        Ok(())
    }
}

/// `cuGraphKernelNodeGetAttribute`: writes the attribute's bytes of `out`.
pub fn get(k: &KernelNode, id: c_uint, out: &mut [u8; 64]) -> CuResult {
    let ranges = extent(id).ok_or(CUDA_ERROR_INVALID_VALUE)?;
    let mut v = k.attrs.get(id);
    match id {
        COOPERATIVE => v[..4].copy_from_slice(&(k.cluster.cooperative as c_int).to_ne_bytes()),
        CLUSTER_DIMENSION => {
            let dim = if k.cluster.explicit { k.cluster.dim } else { [0; 3] };
            for (i, d) in dim.iter().enumerate() {
                v[4 * i..4 * i + 4].copy_from_slice(&d.to_ne_bytes());
            }
        }
        _ => {}
    }
    for r in ranges {
        out[r.clone()].copy_from_slice(&v[r.clone()]);
    }
    Ok(())
}

/// `cuGraphKernelNodeSetAttribute`.
pub fn set(k: &mut KernelNode, id: c_uint, v: &[u8; 64]) -> CuResult {
    extent(id).ok_or(CUDA_ERROR_INVALID_VALUE)?;
    let int = |i: usize| u32::from_ne_bytes(v[4 * i..4 * i + 4].try_into().unwrap());
    match id {
        COOPERATIVE => k.cluster.cooperative = int(0) != 0,
        CLUSTER_DIMENSION => {
            let cooperative = k.cluster.cooperative;
            k.cluster = launch::cluster_shape(&k.func, k.grid, Some([int(0), int(1), int(2)]))?;
            k.cluster.cooperative = cooperative;
        }
        _ => k.attrs.set(id, v)?,
    }
    Ok(())
}

/// `cuGraphKernelNodeCopyAttributes`: every attribute of `src`, cluster shape included.
pub fn copy(dst: &mut KernelNode, src: &KernelNode) {
    dst.attrs = src.attrs.clone();
    dst.cluster = src.cluster;
}

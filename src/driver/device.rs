//! The emulated device(s): the host CPU presented as one CUDA device.
//!
//! Every value answers what the CPU executor honours (warp 32, 1024 threads per block, shared
//! memory limits it allocates, host memory = device memory) or, for hardware features we do
//! not emulate (IPC, multi-device cooperative launch), a truthful "no".
//! cudart reads 111 attributes once at start-up and caches them (notes §3): these answers are
//! final for the whole process, and the integrity check hashes UUID and PCI ids.

use crate::api::*;
use std::ffi::{c_char, c_int, c_uint};
use std::sync::OnceLock;

/// Compute capability reported by default: 8.6.
/// - A PTX module loads only on a device whose CC is ≥ its target (fatbin-format.md §9), so a
///   higher CC makes more programs loadable: nvcc 13's default `compute_75`, ggml's
///   `75-virtual`/`80-virtual` builds and most Ampere-targeted code all load on 8.6.
/// - 8.6 stays below 9.0, which would switch on features we do not emulate (thread-block
///   clusters, PDL `griddepcontrol` paths in ggml, TMA).
/// - The raw CC steers some host heuristics (ggml: cuBLAS vs MMQ, FA); override with
///   `CUEMU_COMPUTE_CAPABILITY=MAJOR.MINOR` (minimum 7.5: CUDA 13 dropped older targets).
pub const DEFAULT_CC: (i32, i32) = (8, 6);

/// Shared memory: 48 KiB static per block (the CUDA default) and, opted in with
/// cuFuncSetAttribute(MAX_DYNAMIC_SHARED_SIZE_BYTES), up to 227 KiB; the executor allocates
/// whatever the launch asks, these are the limits we validate against.
pub const SHARED_PER_BLOCK: i32 = 48 * 1024;
pub const SHARED_PER_BLOCK_OPTIN: i32 = 227 * 1024;
pub const RESERVED_SHARED_PER_BLOCK: i32 = crate::exec::compile::SHARED_RESERVED as i32;
pub const SHARED_PER_SM: i32 = 228 * 1024;
pub const MAX_THREADS_PER_BLOCK: i32 = 1024;
pub const MAX_BLOCK_DIM: [i32; 3] = [1024, 1024, 64];
pub const MAX_GRID_DIM: [i32; 3] = [i32::MAX, 65535, 65535];
pub const MAX_THREADS_PER_SM: i32 = 2048;
pub const MAX_BLOCKS_PER_SM: i32 = 32;
pub const REGS_PER_BLOCK: i32 = 65536;
pub const REGS_PER_SM: i32 = 65536;
pub const WARP_SIZE: i32 = 32;

pub const ATTR_MULTIPROCESSOR_COUNT: c_int = 16;
pub const ATTR_PCI_BUS_ID: c_int = 33;
pub const ATTR_PCI_DEVICE_ID: c_int = 34;
pub const ATTR_PCI_DOMAIN_ID: c_int = 50;
pub const ATTR_CC_MAJOR: c_int = 75;
pub const ATTR_CC_MINOR: c_int = 76;
pub const ATTR_VMM_SUPPORTED: c_int = 102;
/// CU_DEVICE_ATTRIBUTE_MAX of CUDA 13.5.
pub const ATTR_MAX: c_int = 162;

#[derive(Debug, Clone)]
pub struct Device {
    pub ordinal: c_int,
    pub name: String,
    pub uuid: [u8; 16],
    pub total_mem: usize,
    pub cc: (i32, i32),
    pub sm_count: i32,
    pub clock_khz: i32,
    pub l2_bytes: i32,
    pub cpu_model: String,
}

static DEVICES: OnceLock<Vec<Device>> = OnceLock::new();

/// The devices (probed once).
pub fn all() -> &'static [Device] {
    DEVICES.get_or_init(|| vec![probe(0)])
}

pub fn count() -> c_int {
    all().len() as c_int
}

pub fn get(dev: CUdevice) -> CuResult<&'static Device> {
    usize::try_from(dev).ok().and_then(|i| all().get(i)).ok_or(CUDA_ERROR_INVALID_DEVICE)
}

fn cpuinfo_field(field: &str) -> Option<String> {
    let text = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    text.lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_string())
}

pub fn host_total_memory() -> usize {
    unsafe {
        let mut info: libc::sysinfo = std::mem::zeroed();
        if libc::sysinfo(&mut info) == 0 {
            return info.totalram as usize * info.mem_unit as usize;
        }
    }
    16 << 30
}

/// Free memory: the kernel's MemAvailable (what a new allocation can get without swapping).
pub fn host_available_memory() -> usize {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| {
            t.lines().find(|l| l.starts_with("MemAvailable:")).and_then(|l| {
                l.split_whitespace().nth(1).and_then(|kb| kb.parse::<usize>().ok()).map(|kb| kb * 1024)
            })
        })
        .unwrap_or_else(|| host_total_memory() / 2)
}

/// `CUEMU_COMPUTE_CAPABILITY=MAJOR.MINOR`, at least 7.5.
pub fn compute_capability_from_env() -> (i32, i32) {
    let Ok(v) = std::env::var("CUEMU_COMPUTE_CAPABILITY") else { return DEFAULT_CC };
    let parsed = v.trim().split_once('.').and_then(|(a, b)| Some((a.parse::<i32>().ok()?, b.parse::<i32>().ok()?)));
    match parsed {
        Some(cc) if cc >= (7, 5) && cc.1 < 10 => cc,
        _ => {
            tracing::warn!("CUEMU_COMPUTE_CAPABILITY={v:?} ignored (want MAJOR.MINOR >= 7.5); using 8.6");
            DEFAULT_CC
        }
    }
}

/// A stable UUID: FNV-1a of the host name (two seeds), marked as an RFC 4122 v8 UUID.
fn host_uuid(ordinal: c_int) -> [u8; 16] {
    let mut buf = [0u8; 256];
    let host = unsafe {
        if libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) == 0 {
            std::ffi::CStr::from_ptr(buf.as_ptr().cast()).to_bytes().to_vec()
        } else {
            b"cuemu".to_vec()
        }
    };
    let fnv = |seed: u64| {
        let mut h = seed;
        for b in host.iter().chain(&ordinal.to_le_bytes()) {
            h ^= *b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
        h
    };
    let mut u = [0u8; 16];
    u[..8].copy_from_slice(&fnv(0xcbf29ce484222325).to_be_bytes());
    u[8..].copy_from_slice(&fnv(0x6375656d75637075).to_be_bytes());
    u[6] = (u[6] & 0x0f) | 0x80;
    u[8] = (u[8] & 0x3f) | 0x80;
    u
}

fn probe(ordinal: c_int) -> Device {
    let cpu_model = cpuinfo_field("model name").unwrap_or_else(|| "unknown CPU".into());
    let clock_khz = cpuinfo_field("cpu MHz").and_then(|m| m.parse::<f64>().ok()).map(|m| (m * 1000.0) as i32).unwrap_or(2_000_000);
    let l2_bytes = ["/sys/devices/system/cpu/cpu0/cache/index3/size", "/sys/devices/system/cpu/cpu0/cache/index2/size"]
        .iter()
        .find_map(|p| {
            let s = std::fs::read_to_string(p).ok()?;
            let s = s.trim();
            let (n, mul) = if let Some(k) = s.strip_suffix('K') { (k, 1024) } else if let Some(m) = s.strip_suffix('M') { (m, 1 << 20) } else { (s, 1) };
            n.parse::<i32>().ok().map(|n| n.saturating_mul(mul))
        })
        .unwrap_or(4 << 20);
    Device {
        ordinal,
        name: format!("cuemu CPU ({cpu_model})"),
        uuid: host_uuid(ordinal),
        total_mem: host_total_memory(),
        cc: compute_capability_from_env(),
        // One "SM" per executor thread: occupancy-driven grid sizing then fills the cores.
        sm_count: rayon::current_num_threads().max(1) as i32,
        clock_khz,
        l2_bytes,
        cpu_model,
    }
}

impl Device {
    /// Every CUdevice_attribute of CUDA 13.5 (1..=161); anything else → INVALID_VALUE.
    pub fn attribute(&self, attr: c_int) -> CuResult<c_int> {
        let v = match attr {
            1 => MAX_THREADS_PER_BLOCK,
            2 => MAX_BLOCK_DIM[0],
            3 => MAX_BLOCK_DIM[1],
            4 => MAX_BLOCK_DIM[2],
            5 => MAX_GRID_DIM[0],
            6 => MAX_GRID_DIM[1],
            7 => MAX_GRID_DIM[2],
            8 => SHARED_PER_BLOCK,
            9 => 65536, // TOTAL_CONSTANT_MEMORY (PTX .const bank 0 limit)
            10 => WARP_SIZE,
            11 => i32::MAX, // MAX_PITCH
            12 => REGS_PER_BLOCK,
            13 => self.clock_khz, // CLOCK_RATE (kHz) of the host CPU
            14 => 512,            // TEXTURE_ALIGNMENT
            15 => 1,              // GPU_OVERLAP (deprecated)
            16 => self.sm_count,
            17 => 0, // KERNEL_EXEC_TIMEOUT: no watchdog
            18 => 0, // INTEGRATED: presented as discrete so programs keep their usual copy paths
            19 => 1, // CAN_MAP_HOST_MEMORY: host memory is device memory
            20 => 0, // COMPUTE_MODE default
            // Texture and surface limits (no texture support yet; sane limits of a real part).
            21 => 131072,
            22 => 131072,
            23 => 65536,
            24..=26 => 16384,
            27 | 28 => 32768,
            29 => 2048,
            30 => 512, // SURFACE_ALIGNMENT
            31 => 1,   // CONCURRENT_KERNELS
            32 => 0,   // ECC_ENABLED
            33 => self.ordinal, // PCI_BUS_ID (matches pci_bus_id())
            34 => 0,   // PCI_DEVICE_ID
            35 => 0,   // TCC_DRIVER
            36 => 3_200_000, // MEMORY_CLOCK_RATE (kHz), nominal DDR
            37 => 128,       // GLOBAL_MEMORY_BUS_WIDTH, nominal
            38 => self.l2_bytes, // L2_CACHE_SIZE: the host's last-level cache
            39 => MAX_THREADS_PER_SM,
            40 => 1, // ASYNC_ENGINE_COUNT
            41 => 1, // UNIFIED_ADDRESSING: one address space with the host
            42 => 32768,
            43 => 2048,
            44 => 0, // CAN_TEX2D_GATHER: no textures
            45 | 46 => 32768,
            47 | 48 => 8192,
            49 => 32768,
            50 => 0,  // PCI_DOMAIN_ID
            51 => 32, // TEXTURE_PITCH_ALIGNMENT
            52 | 53 => 32768,
            54 => 2046,
            55 => 32768,
            56 => 131072,
            57 => 65536,
            58..=60 => 16384,
            61 => 32768,
            62 => 2048,
            63 | 64 => 32768,
            65 => 2048,
            66 | 67 => 32768,
            68 => 2046,
            69 => 268435456,
            70 => 131072,
            71 => 65000,
            72 => 2097120,
            73 | 74 => 32768,
            75 => self.cc.0,
            76 => self.cc.1,
            77 => 32768,
            78 => 1, // STREAM_PRIORITIES_SUPPORTED (accepted, not scheduled by priority)
            79 => 1, // GLOBAL_L1_CACHE_SUPPORTED
            80 => 1, // LOCAL_L1_CACHE_SUPPORTED
            81 => SHARED_PER_SM,
            82 => REGS_PER_SM,
            83 => 1, // MANAGED_MEMORY: all memory is host memory
            84 => 0, // MULTI_GPU_BOARD
            85 => self.ordinal,
            86 => 1, // HOST_NATIVE_ATOMIC_SUPPORTED: device atomics are host atomics
            87 => 2, // SINGLE_TO_DOUBLE_PRECISION_PERF_RATIO
            88 => 1, // PAGEABLE_MEMORY_ACCESS: kernels can read any host memory
            89 => 1, // CONCURRENT_MANAGED_ACCESS
            90 => 0, // COMPUTE_PREEMPTION_SUPPORTED
            91 => 1, // CAN_USE_HOST_POINTER_FOR_REGISTERED_MEM
            92..=94 => 0, // stream memory operations v1: off, as NVIDIA's H100 driver reports
            95 => 1, // COOPERATIVE_LAUNCH: cuLaunchCooperativeKernel (grid-wide sync)
            96 => 0, // COOPERATIVE_MULTI_DEVICE_LAUNCH
            97 => SHARED_PER_BLOCK_OPTIN,
            98 => 0,  // CAN_FLUSH_REMOTE_WRITES
            99 => 1,  // HOST_REGISTER_SUPPORTED
            100 => 1, // PAGEABLE_MEMORY_ACCESS_USES_HOST_PAGE_TABLES
            101 => 1, // DIRECT_MANAGED_MEM_ACCESS_FROM_HOST
            102 => 1, // VIRTUAL_MEMORY_MANAGEMENT_SUPPORTED: cuMemAddressReserve/Create/Map (vmm.rs)
            103 => 1, // HANDLE_TYPE_POSIX_FILE_DESCRIPTOR_SUPPORTED: memfd export
            104 | 105 => 0, // Win32 handle types
            106 => MAX_BLOCKS_PER_SM,
            107 => 0, // GENERIC_COMPRESSION_SUPPORTED
            108 => 0, // MAX_PERSISTING_L2_CACHE_SIZE: no persisting L2 control
            109 => 0, // MAX_ACCESS_POLICY_WINDOW_SIZE
            110 => 0, // GPU_DIRECT_RDMA_WITH_CUDA_VMM_SUPPORTED
            111 => RESERVED_SHARED_PER_BLOCK,
            112 => 0, // SPARSE_CUDA_ARRAY_SUPPORTED
            113 => 1, // READ_ONLY_HOST_REGISTER_SUPPORTED
            114 => 0, // TIMELINE_SEMAPHORE_INTEROP_SUPPORTED
            115 => 1, // MEMORY_POOLS_SUPPORTED: stream-ordered allocation (pool.rs)
            116 | 117 => 0, // GPU_DIRECT_RDMA_*
            118 => 0, // GPU_DIRECT_RDMA_WRITES_ORDERING: none
            119 => 0, // MEMPOOL_SUPPORTED_HANDLE_TYPES
            120 => (self.cc.0 >= 9) as c_int, // CLUSTER_LAUNCH: thread-block clusters need sm_90
            121 => 0, // DEFERRED_MAPPING_CUDA_ARRAY_SUPPORTED
            // CAN_USE_64_BIT_STREAM_MEM_OPS / CAN_USE_STREAM_WAIT_VALUE_NOR: the v2 stream
            // memory operations (memops.rs), as on the H100; the v1 ones (92..=94) are off there too.
            122 | 123 => 1,
            124 => 0, // DMA_BUF_SUPPORTED
            125 => 0, // IPC_EVENT_SUPPORTED
            126 => 1, // MEM_SYNC_DOMAIN_COUNT
            127 => 0, // TENSOR_MAP_ACCESS_SUPPORTED
            128 => 0, // HANDLE_TYPE_FABRIC_SUPPORTED
            129 => 0, // UNIFIED_FUNCTION_POINTERS
            130 => 0, // NUMA_CONFIG: none
            131 => -1, // NUMA_ID
            132 => 0, // MULTICAST_SUPPORTED
            133 => 0, // MPS_ENABLED
            134 => 0, // HOST_NUMA_ID
            135 => 0, // D3D12_CIG_SUPPORTED
            136 | 137 => 0, // MEM_DECOMPRESS_*
            138 => 0, // VULKAN_CIG_SUPPORTED
            139 | 140 => 0, // GPU_PCI_DEVICE_ID / SUBSYSTEM_ID
            141..=146 => 0, // host NUMA / host memory pools / host VMM / DMA-BUF
            147 => 0, // ONLY_PARTIAL_HOST_NATIVE_ATOMIC_SUPPORTED: atomics are complete
            148 => 0, // ATOMIC_REDUCTION_SUPPORTED
            149 => 1, // LOCALITY_DOMAIN_COUNT: one domain
            150 => 0, // MAX_OVERSIZED_SHARED_MEMORY_PER_BLOCK
            151..=156 => 0, // CIG streams, DMA-BUF mmap, logical endpoints
            157 => self.sm_count, // LOCALITY_DOMAIN_MULTIPROCESSOR_COUNT
            158 | 159 => 0,
            160 => 0, // TENSOR_MAP_LARGE_TENSOR_MIN_SIZE
            161 => 0, // GPU_DIRECT_RDMA_WITH_LOCALIZED_MEMORY_SUPPORTED
            _ => return Err(CUDA_ERROR_INVALID_VALUE),
        };
        Ok(v)
    }

    pub fn pci_bus_id(&self) -> String {
        format!("{:04x}:{:02x}:{:02x}.0", 0, self.ordinal, 0)
    }
}

pub unsafe fn device_get(device: *mut CUdevice, ordinal: c_int) -> CuResult {
    if device.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    get(ordinal)?;
    *device = ordinal;
    Ok(())
}

pub unsafe fn get_count(count: *mut c_int) -> CuResult {
    super::out(count, self::count())
}

/// Copies a NUL-terminated string into a caller buffer of `len` bytes (truncating).
unsafe fn copy_cstr(dst: *mut c_char, len: c_int, s: &str) -> CuResult {
    if dst.is_null() || len <= 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let n = s.len().min(len as usize - 1);
    std::ptr::copy_nonoverlapping(s.as_ptr(), dst.cast::<u8>(), n);
    *dst.add(n) = 0;
    Ok(())
}

pub unsafe fn get_name(name: *mut c_char, len: c_int, dev: CUdevice) -> CuResult {
    let d = get(dev)?;
    copy_cstr(name, len, &d.name)
}

pub unsafe fn get_uuid(uuid: *mut CUuuid, dev: CUdevice) -> CuResult {
    let d = get(dev)?;
    super::out(uuid, CUuuid { bytes: d.uuid })
}

/// Windows only on NVIDIA as well.
pub unsafe fn get_luid(_luid: *mut c_char, _mask: *mut c_uint, dev: CUdevice) -> CuResult {
    get(dev)?;
    Err(CUDA_ERROR_NOT_SUPPORTED)
}

pub unsafe fn total_mem(bytes: *mut usize, dev: CUdevice) -> CuResult {
    let d = get(dev)?;
    super::out(bytes, d.total_mem)
}

/// Legacy 32-bit `cuDeviceTotalMem` (ABI 2000): saturates at 4 GiB - 1.
pub unsafe fn total_mem_v1(bytes: *mut c_uint, dev: CUdevice) -> CuResult {
    let d = get(dev)?;
    super::out(bytes, d.total_mem.min(u32::MAX as usize) as c_uint)
}

pub unsafe fn get_attribute(pi: *mut c_int, attrib: c_int, dev: CUdevice) -> CuResult {
    if pi.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let d = get(dev)?;
    *pi = d.attribute(attrib)?;
    Ok(())
}

pub unsafe fn get_properties(prop: *mut CUdevprop, dev: CUdevice) -> CuResult {
    let d = get(dev)?;
    super::out(
        prop,
        CUdevprop {
            max_threads_per_block: MAX_THREADS_PER_BLOCK,
            max_threads_dim: MAX_BLOCK_DIM,
            max_grid_size: MAX_GRID_DIM,
            shared_mem_per_block: SHARED_PER_BLOCK,
            total_constant_memory: 65536,
            simd_width: WARP_SIZE,
            mem_pitch: i32::MAX,
            regs_per_block: REGS_PER_BLOCK,
            clock_rate: d.clock_khz,
            texture_align: 512,
        },
    )
}

pub unsafe fn compute_capability(major: *mut c_int, minor: *mut c_int, dev: CUdevice) -> CuResult {
    if major.is_null() || minor.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let d = get(dev)?;
    *major = d.cc.0;
    *minor = d.cc.1;
    Ok(())
}

pub unsafe fn get_pci_bus_id(bus_id: *mut c_char, len: c_int, dev: CUdevice) -> CuResult {
    let d = get(dev)?;
    copy_cstr(bus_id, len, &d.pci_bus_id())
}

/// Accepts "domain:bus:device.function", "bus:device.function" (hex), case-insensitively.
pub unsafe fn get_by_pci_bus_id(dev: *mut CUdevice, bus_id: *const c_char) -> CuResult {
    if dev.is_null() || bus_id.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let s = std::ffi::CStr::from_ptr(bus_id).to_string_lossy().to_ascii_lowercase();
    let parse = |s: &str| -> Option<(u32, u32, u32)> {
        let parts: Vec<&str> = s.trim().split(':').collect();
        let (dom, bus, rest) = match parts.as_slice() {
            [d, b, r] => (u32::from_str_radix(d, 16).ok()?, u32::from_str_radix(b, 16).ok()?, *r),
            [b, r] => (0, u32::from_str_radix(b, 16).ok()?, *r),
            _ => return None,
        };
        let devn = u32::from_str_radix(rest.split('.').next()?, 16).ok()?;
        Some((dom, bus, devn))
    };
    let Some(want) = parse(&s) else { return Err(CUDA_ERROR_INVALID_VALUE) };
    for d in all() {
        if parse(&d.pci_bus_id()) == Some(want) {
            *dev = d.ordinal;
            return Ok(());
        }
    }
    Err(CUDA_ERROR_INVALID_DEVICE)
}

/// All emulated devices share the host address space: peers can always access each other;
/// a device is not its own peer (NVIDIA answers 0 there).
pub unsafe fn can_access_peer(can: *mut c_int, dev: CUdevice, peer: CUdevice) -> CuResult {
    if can.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    get(dev)?;
    get(peer)?;
    *can = (dev != peer) as c_int;
    Ok(())
}

/// `cuDeviceGetP2PAttribute(value, attrib, src, dst)`.
pub unsafe fn get_p2p_attribute(value: *mut c_int, attrib: c_uint, src: CUdevice, dst: CUdevice) -> CuResult {
    if value.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    get(src)?;
    get(dst)?;
    if src == dst {
        return Err(CUDA_ERROR_INVALID_DEVICE);
    }
    *value = match attrib {
        1 => 0,     // PERFORMANCE_RANK
        2..=4 => 1, // ACCESS_SUPPORTED, NATIVE_ATOMIC_SUPPORTED, CUDA_ARRAY_ACCESS_SUPPORTED
        _ => return Err(CUDA_ERROR_INVALID_VALUE),
    };
    Ok(())
}

/// `cuDeviceGetTexture1DLinearMaxWidth`-style helpers are not needed yet.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_attribute_answers() {
        let d = &all()[0];
        for a in 1..ATTR_MAX {
            assert!(d.attribute(a).is_ok(), "attribute {a}");
        }
        assert_eq!(d.attribute(0), Err(CUDA_ERROR_INVALID_VALUE));
        assert_eq!(d.attribute(ATTR_MAX), Err(CUDA_ERROR_INVALID_VALUE));
        assert!(d.attribute(97).unwrap() >= 48 * 1024);
        assert_eq!(d.attribute(10).unwrap(), 32);
    }
}

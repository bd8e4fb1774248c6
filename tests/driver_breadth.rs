//! Driver breadth in-process, through the exported `extern "C"` entry points: the report of
//! what a program created (`CUEMU_REPORT`, `cuemu info -- PROGRAM`), graph memory nodes,
//! stream memory operations and attributes, JIT linking, CUDA arrays.

use cuda::api::entries::*;
use cuda::api::*;
use cuda::driver::pool::CUmemPoolProps;
use std::ffi::{c_uint, c_void};
use std::ptr::{null, null_mut};

fn line_with<'a>(report: &'a str, needle: &str) -> &'a str {
    report.lines().find(|l| l.contains(needle)).unwrap_or_else(|| panic!("no line with {needle:?} in:\n{report}"))
}

// ---------------------------------------------------------------------------------------------
// The report
// ---------------------------------------------------------------------------------------------

#[test]
fn report_lists_streams_pools_and_vmm_reservations() {
    let _g = serial();
    primary();
    unsafe {
        let s = stream(1);
        let mut buf = 0;
        assert_eq!(cuMemAlloc_v2(&mut buf, 4096), CUDA_SUCCESS);
        for v in 0..3u8 {
            assert_eq!(cuMemsetD8Async(buf, v, 4096, s), CUDA_SUCCESS);
        }
        assert_eq!(cuStreamSynchronize(s), CUDA_SUCCESS);

        // A created pool with two allocations, one freed.
        let mut props: CUmemPoolProps = std::mem::zeroed();
        props.alloc_type = 1;
        props.location = CUmemLocation { type_: 1, id: 0 };
        let mut pool = null_mut();
        assert_eq!(cuMemPoolCreate(&mut pool, &props), CUDA_SUCCESS);
        let (mut a, mut b) = (0, 0);
        assert_eq!(cuMemAllocFromPoolAsync(&mut a, 3 << 20, pool, s), CUDA_SUCCESS);
        assert_eq!(cuMemAllocFromPoolAsync(&mut b, 1 << 20, pool, s), CUDA_SUCCESS);
        assert_eq!(cuMemFreeAsync(a, s), CUDA_SUCCESS);
        assert_eq!(cuStreamSynchronize(s), CUDA_SUCCESS);

        // A VMM reservation of 64 MiB with one 2 MiB chunk mapped.
        let mut va = 0;
        assert_eq!(cuMemAddressReserve(&mut va, 64 << 20, 0, 0, 0), CUDA_SUCCESS);
        let mut prop: CUmemAllocationProp = std::mem::zeroed();
        prop.type_ = 1;
        prop.location = CUmemLocation { type_: 1, id: 0 };
        let mut h = 0;
        assert_eq!(cuMemCreate(&mut h, 2 << 20, &prop, 0), CUDA_SUCCESS);
        assert_eq!(cuMemMap(va, 2 << 20, 0, h, 0), CUDA_SUCCESS);

        let report = cuda::driver::report::render();
        let sl = line_with(&report, &format!("stream {:#x} ", s as usize));
        // Three memsets and the stream-ordered free.
        assert!(sl.contains("non-blocking") && sl.contains("4 work item(s)") && sl.contains("live"), "{sl}");
        let pl = line_with(&report, &format!("pool {:#x} ", pool as usize));
        assert!(pl.contains("2 allocation(s)") && pl.contains("used 1.0 MiB (high 4.0 MiB)"), "{pl}");
        let rl = line_with(&report, &format!("reservation {va:#x}"));
        assert!(rl.ends_with("64.0 MiB"), "{rl}");

        // Destroyed objects stay in the report, as they were.
        assert_eq!(cuMemUnmap(va, 2 << 20), CUDA_SUCCESS);
        assert_eq!(cuMemRelease(h), CUDA_SUCCESS);
        assert_eq!(cuMemAddressFree(va, 64 << 20), CUDA_SUCCESS);
        assert_eq!(cuMemFreeAsync(b, s), CUDA_SUCCESS);
        assert_eq!(cuStreamSynchronize(s), CUDA_SUCCESS);
        assert_eq!(cuMemPoolDestroy(pool), CUDA_SUCCESS);
        assert_eq!(cuStreamDestroy_v2(s), CUDA_SUCCESS);
        let report = cuda::driver::report::render();
        let sl = line_with(&report, &format!("stream {:#x} ", s as usize));
        assert!(sl.contains("5 work item(s)") && sl.ends_with("destroyed"), "{sl}");
        let pl = line_with(&report, &format!("pool {:#x} ", pool as usize));
        assert!(pl.contains("used 0 B (high 4.0 MiB)") && pl.ends_with("destroyed"), "{pl}");
        assert!(!report.contains(&format!("reservation {va:#x}")), "freed reservation listed:\n{report}");
        assert_eq!(cuMemFree_v2(buf), CUDA_SUCCESS);
    }
}

// ---------------------------------------------------------------------------------------------
// Graph memory nodes
// ---------------------------------------------------------------------------------------------

use cuda::driver::graphmem::CUDA_MEM_ALLOC_NODE_PARAMS;

const GRAPH_MEM_USED_CURRENT: c_uint = 0;
const GRAPH_MEM_USED_HIGH: c_uint = 1;
const GRAPH_MEM_RESERVED_CURRENT: c_uint = 2;
const GRAPH_MEM_RESERVED_HIGH: c_uint = 3;

fn graph_mem(attr: c_uint) -> u64 {
    let mut v = 0u64;
    assert_eq!(unsafe { cuDeviceGetGraphMemAttribute(0, attr, &mut v as *mut u64 as *mut c_void) }, CUDA_SUCCESS);
    v
}

fn alloc_params(size: usize) -> CUDA_MEM_ALLOC_NODE_PARAMS {
    let mut p: CUDA_MEM_ALLOC_NODE_PARAMS = unsafe { std::mem::zeroed() };
    p.pool_props.alloc_type = 1;
    p.pool_props.location = CUmemLocation { type_: 1, id: 0 };
    p.bytesize = size;
    p
}

fn memset_params(dst: CUdeviceptr, value: u32, n: usize) -> CUDA_MEMSET_NODE_PARAMS {
    CUDA_MEMSET_NODE_PARAMS { dst, pitch: 0, value, element_size: 4, width: n, height: 1 }
}

fn dtoh_params(dst: *mut c_void, src: CUdeviceptr, n: usize) -> CUDA_MEMCPY3D {
    let mut c = CUDA_MEMCPY3D::zeroed();
    c.src_memory_type = 2; // DEVICE
    c.src_device = src;
    c.dst_memory_type = 1; // HOST
    c.dst_host = dst;
    c.width_in_bytes = n;
    c.height = 1;
    c.depth = 1;
    c
}

fn node_types(g: CUgraph) -> Vec<c_uint> {
    unsafe {
        let mut n = 0usize;
        assert_eq!(cuGraphGetNodes(g, null_mut(), &mut n), CUDA_SUCCESS);
        let mut nodes = vec![null_mut(); n];
        assert_eq!(cuGraphGetNodes(g, nodes.as_mut_ptr(), &mut n), CUDA_SUCCESS);
        nodes
            .iter()
            .map(|&x| {
                let mut t = 99;
                assert_eq!(cuGraphNodeGetType(x, &mut t), CUDA_SUCCESS);
                t
            })
            .collect()
    }
}

/// alloc → memset → copy out → free, launched three times: the same address every launch,
/// the memset value updated in place between launches, accounting back to zero used.
#[test]
fn graph_alloc_and_free_nodes_keep_their_address_across_launches() {
    let _g = serial();
    primary();
    const N: usize = 256 * 1024; // 1 MiB of u32
    unsafe {
        let s = stream(1);
        let mut g = null_mut();
        assert_eq!(cuGraphCreate(&mut g, 0), CUDA_SUCCESS);
        let mut ap = alloc_params(N * 4);
        let mut alloc = null_mut();
        assert_eq!(cuGraphAddMemAllocNode(&mut alloc, g, null(), 0, &mut ap), CUDA_SUCCESS);
        let dptr = ap.dptr;
        assert_ne!(dptr, 0);
        let mut memset = null_mut();
        let mp = memset_params(dptr, 0x11, N);
        assert_eq!(cuGraphAddMemsetNode(&mut memset, g, &alloc, 1, &mp, null_mut()), CUDA_SUCCESS);
        let mut host = vec![0u32; N];
        let cp = dtoh_params(host.as_mut_ptr() as *mut c_void, dptr, N * 4);
        let mut copy = null_mut();
        assert_eq!(cuGraphAddMemcpyNode(&mut copy, g, &memset, 1, &cp, null_mut()), CUDA_SUCCESS);
        let mut free = null_mut();
        assert_eq!(cuGraphAddMemFreeNode(&mut free, g, &copy, 1, dptr), CUDA_SUCCESS);
        assert_eq!(node_types(g), vec![10, 2, 1, 11]);

        // Parameters read back.
        let mut back: CUDA_MEM_ALLOC_NODE_PARAMS = std::mem::zeroed();
        assert_eq!(cuGraphMemAllocNodeGetParams(alloc, &mut back), CUDA_SUCCESS);
        assert_eq!((back.dptr, back.bytesize, back.pool_props.location.id), (dptr, N * 4, 0));
        let mut freed = 0;
        assert_eq!(cuGraphMemFreeNodeGetParams(free, &mut freed), CUDA_SUCCESS);
        assert_eq!(freed, dptr);
        assert_eq!(cuGraphMemFreeNodeGetParams(alloc, &mut freed), CUDA_ERROR_INVALID_VALUE);
        // Freeing twice in one graph, or something no allocation node returned: refused.
        let mut x = null_mut();
        assert_eq!(cuGraphAddMemFreeNode(&mut x, g, &free, 1, dptr), CUDA_ERROR_INVALID_VALUE);
        let mut plain = 0;
        assert_eq!(cuMemAlloc_v2(&mut plain, 4096), CUDA_SUCCESS);
        assert_eq!(cuGraphAddMemFreeNode(&mut x, g, &free, 1, plain), CUDA_ERROR_INVALID_VALUE);
        assert_eq!(cuMemFree_v2(plain), CUDA_SUCCESS);

        let mut ge = null_mut();
        assert_eq!(cuGraphInstantiateWithFlags(&mut ge, g, 0), CUDA_SUCCESS);
        const CHUNK: u64 = 32 << 20;
        for (i, v) in [0x11u32, 0x22, 0x33].into_iter().enumerate() {
            if i > 0 {
                let mp = memset_params(dptr, v, N);
                assert_eq!(cuGraphExecMemsetNodeSetParams(ge, memset, &mp, null_mut()), CUDA_SUCCESS);
            }
            assert_eq!(cuGraphLaunch(ge, s), CUDA_SUCCESS);
            assert_eq!(cuStreamSynchronize(s), CUDA_SUCCESS);
            assert!(host.iter().all(|&h| h == v), "launch {i}: expected {v:#x}, got {:#x}", host[0]);
            // As NVIDIA counts it: the backing memory in 32 MiB chunks, used and reserved alike,
            // still counted after the graph freed the allocation (until a trim).
            let used = graph_mem(GRAPH_MEM_USED_CURRENT);
            assert_eq!(used, graph_mem(GRAPH_MEM_RESERVED_CURRENT));
            assert!(used >= CHUNK && used % CHUNK == 0, "{used}");
        }
        assert!(graph_mem(GRAPH_MEM_USED_HIGH) >= (N * 4) as u64);
        assert!(graph_mem(GRAPH_MEM_RESERVED_CURRENT) >= (N * 4) as u64, "freed graph memory stays reserved until trimmed");
        assert_eq!(cuDeviceGraphMemTrim(0), CUDA_SUCCESS);
        assert_eq!(graph_mem(GRAPH_MEM_RESERVED_CURRENT), 0);
        assert_eq!(graph_mem(GRAPH_MEM_USED_CURRENT), 0);
        // High watermarks reset to the current value; anything but 0 is refused.
        let mut zero = 0u64;
        assert_eq!(cuDeviceSetGraphMemAttribute(0, GRAPH_MEM_RESERVED_HIGH, &mut zero as *mut u64 as *mut c_void), CUDA_SUCCESS);
        assert_eq!(graph_mem(GRAPH_MEM_RESERVED_HIGH), 0);
        let mut one = 1u64;
        assert_eq!(cuDeviceSetGraphMemAttribute(0, GRAPH_MEM_USED_HIGH, &mut one as *mut u64 as *mut c_void), CUDA_ERROR_INVALID_VALUE);
        assert_eq!(cuDeviceSetGraphMemAttribute(0, GRAPH_MEM_USED_CURRENT, &mut zero as *mut u64 as *mut c_void), CUDA_ERROR_INVALID_VALUE);

        // The restrictions on graphs with memory nodes.
        let mut clone = null_mut();
        assert_eq!(cuGraphClone(&mut clone, g), CUDA_ERROR_NOT_SUPPORTED);
        let mut ge2 = null_mut();
        assert_eq!(cuGraphInstantiateWithFlags(&mut ge2, g, 0), CUDA_ERROR_NOT_SUPPORTED, "one instantiation at a time");
        assert_eq!(cuGraphDestroyNode(copy), CUDA_ERROR_NOT_SUPPORTED);
        let mut parent = null_mut();
        assert_eq!(cuGraphCreate(&mut parent, 0), CUDA_SUCCESS);
        let mut child = null_mut();
        assert_eq!(cuGraphAddChildGraphNode(&mut child, parent, null(), 0, g), CUDA_ERROR_NOT_SUPPORTED);
        assert_eq!(cuGraphExecDestroy(ge), CUDA_SUCCESS);
        assert_eq!(cuGraphInstantiateWithFlags(&mut ge2, g, 0), CUDA_SUCCESS);
        assert_eq!(cuGraphExecDestroy(ge2), CUDA_SUCCESS);
        assert_eq!(cuGraphDestroy(parent), CUDA_SUCCESS);
        assert_eq!(cuGraphDestroy(g), CUDA_SUCCESS);
        assert_eq!(cuStreamDestroy_v2(s), CUDA_SUCCESS);
    }
}

/// An allocation the graph does not free outlives the launch: usable by later stream work,
/// freed by cuMemFreeAsync/cuMemFree; relaunching before that is refused unless the graph was
/// instantiated with AUTO_FREE_ON_LAUNCH.
#[test]
fn unfreed_graph_allocation_outlives_the_launch() {
    let _g = serial();
    primary();
    unsafe {
        let s = stream(1);
        let mut g = null_mut();
        assert_eq!(cuGraphCreate(&mut g, 0), CUDA_SUCCESS);
        let mut ap = alloc_params(4096);
        let mut alloc = null_mut();
        assert_eq!(cuGraphAddMemAllocNode(&mut alloc, g, null(), 0, &mut ap), CUDA_SUCCESS);
        let dptr = ap.dptr;
        let mp = memset_params(dptr, 0xabcd, 1024);
        let mut memset = null_mut();
        assert_eq!(cuGraphAddMemsetNode(&mut memset, g, &alloc, 1, &mp, null_mut()), CUDA_SUCCESS);
        let mut ge = null_mut();
        assert_eq!(cuGraphInstantiateWithFlags(&mut ge, g, 0), CUDA_SUCCESS);

        // Before any launch, the allocation is not outstanding: freeing it is an error.
        assert_eq!(cuMemFreeAsync(dptr, s), CUDA_ERROR_INVALID_VALUE);
        // Its own graph cannot free it once instantiated (NVIDIA's answer).
        let mut fx = null_mut();
        assert_eq!(cuGraphAddMemFreeNode(&mut fx, g, &memset, 1, dptr), CUDA_ERROR_INVALID_VALUE);
        assert_eq!(cuDeviceGraphMemTrim(0), CUDA_SUCCESS);
        assert_eq!(graph_mem(GRAPH_MEM_USED_CURRENT), 0);
        assert_eq!(cuGraphLaunch(ge, s), CUDA_SUCCESS);
        assert_eq!(cuGraphLaunch(ge, s), CUDA_ERROR_INVALID_VALUE, "relaunch with the allocation unfreed");
        let mut host = [0u32; 1024];
        assert_eq!(cuMemcpyDtoHAsync_v2(host.as_mut_ptr() as *mut c_void, dptr, 4096, s), CUDA_SUCCESS);
        assert_eq!(cuStreamSynchronize(s), CUDA_SUCCESS);
        assert!(host.iter().all(|&h| h == 0xabcd));
        assert_eq!(graph_mem(GRAPH_MEM_USED_CURRENT), 32 << 20, "4 KiB reads as one 32 MiB chunk");
        // The graph and its executable can go; the allocation stays until freed.
        assert_eq!(cuGraphExecDestroy(ge), CUDA_SUCCESS);
        assert_eq!(cuGraphDestroy(g), CUDA_SUCCESS);
        assert_eq!(cuMemsetD32_v2(dptr, 5, 1024), CUDA_SUCCESS);
        assert_eq!(cuMemcpyDtoH_v2(host.as_mut_ptr() as *mut c_void, dptr, 4096), CUDA_SUCCESS);
        assert!(host.iter().all(|&h| h == 5));
        assert_eq!(cuMemFreeAsync(dptr, s), CUDA_SUCCESS);
        assert_eq!(cuStreamSynchronize(s), CUDA_SUCCESS);
        // Freed: still counted until a trim (NVIDIA's accounting).
        assert_eq!(graph_mem(GRAPH_MEM_USED_CURRENT), 32 << 20);
        assert_eq!(cuDeviceGraphMemTrim(0), CUDA_SUCCESS);
        assert_eq!(graph_mem(GRAPH_MEM_USED_CURRENT), 0);
        // Freed and its graph gone: the address is no allocation any more.
        assert_eq!(cuMemFree_v2(dptr), CUDA_ERROR_INVALID_VALUE);

        // AUTO_FREE_ON_LAUNCH: relaunch allowed; cuMemFree frees the last one.
        let mut g = null_mut();
        assert_eq!(cuGraphCreate(&mut g, 0), CUDA_SUCCESS);
        let mut ap = alloc_params(4096);
        assert_eq!(cuGraphAddMemAllocNode(&mut alloc, g, null(), 0, &mut ap), CUDA_SUCCESS);
        let mut ge = null_mut();
        assert_eq!(cuGraphInstantiateWithFlags(&mut ge, g, 1), CUDA_SUCCESS);
        for _ in 0..3 {
            assert_eq!(cuGraphLaunch(ge, s), CUDA_SUCCESS);
        }
        assert_eq!(cuStreamSynchronize(s), CUDA_SUCCESS);
        assert_eq!(graph_mem(GRAPH_MEM_USED_CURRENT), 32 << 20);
        assert_eq!(cuMemFree_v2(ap.dptr), CUDA_SUCCESS);
        assert_eq!(cuMemFree_v2(ap.dptr), CUDA_ERROR_INVALID_VALUE, "freed twice");
        assert_eq!(cuDeviceGraphMemTrim(0), CUDA_SUCCESS);
        assert_eq!(graph_mem(GRAPH_MEM_USED_CURRENT), 0);
        assert_eq!(cuGraphExecDestroy(ge), CUDA_SUCCESS);
        assert_eq!(cuGraphDestroy(g), CUDA_SUCCESS);
        assert_eq!(cuStreamDestroy_v2(s), CUDA_SUCCESS);
    }
}

/// cuMemAllocAsync / cuMemFreeAsync captured from a stream become allocation and free nodes;
/// the address handed out during capture is the one every launch uses.
#[test]
fn captured_stream_ordered_allocation_becomes_memory_nodes() {
    let _g = serial();
    primary();
    unsafe {
        let s = stream(1);
        assert_eq!(cuStreamBeginCapture_v2(s, 0), CUDA_SUCCESS);
        let mut p = 0;
        assert_eq!(cuMemAllocAsync(&mut p, 64 * 1024, s), CUDA_SUCCESS);
        assert_ne!(p, 0);
        let mut host = vec![0u32; 16 * 1024];
        let mut value = 0u32;
        // The memset value comes from a host function run by the graph: each launch differs.
        unsafe extern "C" fn bump(v: *mut c_void) {
            *(v as *mut u32) += 1;
        }
        assert_eq!(cuLaunchHostFunc(s, Some(bump), &mut value as *mut u32 as *mut c_void), CUDA_SUCCESS);
        assert_eq!(cuMemsetD32Async(p, 0x5a5a, 16 * 1024, s), CUDA_SUCCESS);
        assert_eq!(cuMemcpyDtoHAsync_v2(host.as_mut_ptr() as *mut c_void, p, 64 * 1024, s), CUDA_SUCCESS);
        assert_eq!(cuMemFreeAsync(p, s), CUDA_SUCCESS);
        let mut g = null_mut();
        assert_eq!(cuStreamEndCapture(s, &mut g), CUDA_SUCCESS);
        assert_eq!(node_types(g), vec![10, 3, 2, 1, 11]);
        let mut nodes = [null_mut(); 5];
        let mut n = 5;
        assert_eq!(cuGraphGetNodes(g, nodes.as_mut_ptr(), &mut n), CUDA_SUCCESS);
        let mut ap: CUDA_MEM_ALLOC_NODE_PARAMS = std::mem::zeroed();
        assert_eq!(cuGraphMemAllocNodeGetParams(nodes[0], &mut ap), CUDA_SUCCESS);
        assert_eq!((ap.dptr, ap.bytesize), (p, 64 * 1024));
        let mut ge = null_mut();
        assert_eq!(cuGraphInstantiateWithFlags(&mut ge, g, 0), CUDA_SUCCESS);
        for i in 1..=2 {
            host.iter_mut().for_each(|h| *h = 0);
            assert_eq!(cuGraphLaunch(ge, s), CUDA_SUCCESS);
            assert_eq!(cuStreamSynchronize(s), CUDA_SUCCESS);
            assert_eq!(value, i);
            assert!(host.iter().all(|&h| h == 0x5a5a));
        }
        // Freeing, in a capture, memory no graph allocated is refused.
        let mut plain = 0;
        assert_eq!(cuMemAlloc_v2(&mut plain, 4096), CUDA_SUCCESS);
        assert_eq!(cuStreamBeginCapture_v2(s, 2), CUDA_SUCCESS);
        assert_eq!(cuMemFreeAsync(plain, s), CUDA_ERROR_INVALID_VALUE);
        let mut g2 = null_mut();
        let _ = cuStreamEndCapture(s, &mut g2);
        if !g2.is_null() {
            cuGraphDestroy(g2);
        }
        assert_eq!(cuMemFree_v2(plain), CUDA_SUCCESS);
        assert_eq!(cuGraphExecDestroy(ge), CUDA_SUCCESS);
        assert_eq!(cuGraphDestroy(g), CUDA_SUCCESS);
        assert_eq!(cuStreamDestroy_v2(s), CUDA_SUCCESS);
    }
}

// ---------------------------------------------------------------------------------------------
// Stream memory operations and stream attributes
// ---------------------------------------------------------------------------------------------

use cuda::driver::memops::{self, CUstreamBatchMemOpParams};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

fn pinned(bytes: usize) -> *mut c_void {
    let mut p = null_mut();
    assert_eq!(unsafe { cuMemHostAlloc(&mut p, bytes, 0) }, CUDA_SUCCESS);
    unsafe { std::ptr::write_bytes(p as *mut u8, 0, bytes) };
    p
}

#[test]
fn wait_value_conditions_follow_the_documented_comparisons() {
    use memops::condition;
    // GEQ is cyclic: (int32_t)(*addr - value) >= 0.
    assert!(condition(0, false, 5, 5));
    assert!(condition(0, false, 6, 5));
    assert!(!condition(0, false, 4, 5));
    assert!(condition(0, false, 0, 0xffff_ffff), "0 is 1 past 0xffffffff");
    assert!(!condition(0, false, 0x8000_0000, 0), "half the ring away counts as behind");
    assert!(condition(0, true, 1u64 << 40, (1u64 << 40) - 1));
    // EQ, AND, NOR.
    assert!(condition(1, false, 7, 7) && !condition(1, false, 7, 8));
    assert!(condition(2, false, 0b0110, 0b0100) && !condition(2, false, 0b0110, 0b1001));
    assert!(condition(3, false, 0xffff_0000, 0x0000_fff0), "NOR: bits 0..3 are clear in both");
    assert!(!condition(3, false, 0xffff_0000, 0x0000_ffff));
    assert!(!condition(3, true, u64::MAX, 0) && condition(3, true, u64::MAX >> 1, 0));
}

/// A wait holds back the rest of its stream (and nothing else) until the host writes the
/// flag; writes land in order behind the work before them.
#[test]
fn stream_wait_value_blocks_later_work_until_the_flag_is_written() {
    let _g = serial();
    primary();
    unsafe {
        let s = stream(1);
        let flag = pinned(64);
        let flag_ptr = flag as CUdeviceptr;
        let done = flag_ptr + 8;
        let mut buf = 0;
        assert_eq!(cuMemAlloc_v2(&mut buf, 4096), CUDA_SUCCESS);
        assert_eq!(cuMemsetD32_v2(buf, 0, 1024), CUDA_SUCCESS);
        assert_eq!(cuStreamWaitValue32_v2(s, flag_ptr, 3, memops::CU_STREAM_WAIT_VALUE_GEQ), CUDA_SUCCESS);
        assert_eq!(cuMemsetD32Async(buf, 7, 1024, s), CUDA_SUCCESS);
        assert_eq!(cuStreamWriteValue64_v2(s, done, 0x1234_5678_9abc, 0), CUDA_SUCCESS);
        // Another stream is not held back.
        let other = stream(1);
        assert_eq!(cuStreamWriteValue32_v2(other, flag_ptr + 16, 9, memops::CU_STREAM_WRITE_VALUE_NO_MEMORY_BARRIER), CUDA_SUCCESS);
        assert_eq!(cuStreamSynchronize(other), CUDA_SUCCESS);
        assert_eq!((*(flag as *const AtomicU32).add(4)).load(Ordering::Acquire), 9);

        let flag_atomic = &*(flag as *const AtomicU32);
        for v in 1..3 {
            flag_atomic.store(v, Ordering::Release);
            std::thread::sleep(std::time::Duration::from_millis(20));
            assert_eq!(cuStreamQuery(s), CUDA_ERROR_NOT_READY, "flag {v} < 3: still waiting");
        }
        let mut host = [0u32; 1024];
        assert_eq!(cuMemcpyDtoH_v2(host.as_mut_ptr() as *mut c_void, buf, 4096), CUDA_SUCCESS);
        assert!(host.iter().all(|&h| h == 0), "the memset behind the wait has not run");
        assert_eq!((*((flag as *const AtomicU64).add(1))).load(Ordering::Acquire), 0);
        flag_atomic.store(3, Ordering::Release);
        assert_eq!(cuStreamSynchronize(s), CUDA_SUCCESS);
        assert_eq!(cuMemcpyDtoH_v2(host.as_mut_ptr() as *mut c_void, buf, 4096), CUDA_SUCCESS);
        assert!(host.iter().all(|&h| h == 7));
        assert_eq!((*((flag as *const AtomicU64).add(1))).load(Ordering::Acquire), 0x1234_5678_9abc);

        // Cross-stream: one stream waits (EQ, 64-bit) for a value another writes.
        let t = flag_ptr + 24;
        assert_eq!(cuStreamWaitValue64_v2(s, t, 42, memops::CU_STREAM_WAIT_VALUE_EQ | memops::CU_STREAM_WAIT_VALUE_FLUSH), CUDA_SUCCESS);
        assert_eq!(cuMemsetD32Async(buf, 8, 1024, s), CUDA_SUCCESS);
        assert_eq!(cuStreamWriteValue64_v2(other, t, 42, 0), CUDA_SUCCESS);
        assert_eq!(cuStreamSynchronize(s), CUDA_SUCCESS);
        assert_eq!(cuMemcpyDtoH_v2(host.as_mut_ptr() as *mut c_void, buf, 4096), CUDA_SUCCESS);
        assert!(host.iter().all(|&h| h == 8));

        // Validation: alignment, unknown flags, memory the driver does not know.
        assert_eq!(cuStreamWaitValue32_v2(s, flag_ptr + 2, 0, 0), CUDA_ERROR_INVALID_VALUE);
        assert_eq!(cuStreamWriteValue64_v2(s, flag_ptr + 4, 0, 0), CUDA_ERROR_INVALID_VALUE);
        assert_eq!(cuStreamWaitValue32_v2(s, flag_ptr, 0, 4), CUDA_ERROR_INVALID_VALUE);
        assert_eq!(cuStreamWriteValue32_v2(s, flag_ptr, 0, 2), CUDA_ERROR_INVALID_VALUE);
        let mut local = 0u32;
        assert_eq!(cuStreamWriteValue32_v2(s, &mut local as *mut u32 as CUdeviceptr, 1, 0), CUDA_ERROR_INVALID_VALUE);
        assert_eq!(cuStreamWriteValue32_v2(0xdead0 as CUstream, flag_ptr, 1, 0), CUDA_ERROR_INVALID_HANDLE);
        assert_eq!(local, 0);

        assert_eq!(cuStreamDestroy_v2(other), CUDA_SUCCESS);
        assert_eq!(cuStreamDestroy_v2(s), CUDA_SUCCESS);
        assert_eq!(cuMemFree_v2(buf), CUDA_SUCCESS);
        assert_eq!(cuMemFreeHost(flag), CUDA_SUCCESS);
    }
}

#[test]
fn batch_mem_ops_run_in_order_and_are_captured_as_one_node() {
    let _g = serial();
    primary();
    unsafe {
        let s = stream(1);
        let mem = pinned(64);
        let base = mem as CUdeviceptr;
        let op = |operation: c_uint, address: CUdeviceptr, value: u64, flags: c_uint| CUstreamBatchMemOpParams {
            operation,
            address,
            value,
            flags,
            ..Default::default()
        };
        let ops = [
            op(memops::CU_STREAM_MEM_OP_WRITE_VALUE_32, base, 5, 0),
            op(memops::CU_STREAM_MEM_OP_WAIT_VALUE_32, base, 5, memops::CU_STREAM_WAIT_VALUE_EQ),
            op(memops::CU_STREAM_MEM_OP_BARRIER, 0, 0, 0),
            op(memops::CU_STREAM_MEM_OP_WRITE_VALUE_64, base + 8, u64::MAX - 1, 0),
            op(memops::CU_STREAM_MEM_OP_WAIT_VALUE_64, base + 8, 1, memops::CU_STREAM_WAIT_VALUE_AND),
            op(memops::CU_STREAM_MEM_OP_WRITE_VALUE_32, base + 16, 6, memops::CU_STREAM_WRITE_VALUE_NO_MEMORY_BARRIER),
        ];
        // AND with 1 on u64::MAX - 1 never holds: the batch would hang there. Replace it by a
        // satisfiable AND first to check the order, then check the error paths.
        let mut ok = ops;
        ok[4].value = 2;
        assert_eq!(cuStreamBatchMemOp_v2(s, ok.len() as c_uint, ok.as_ptr(), 0), CUDA_SUCCESS);
        assert_eq!(cuStreamSynchronize(s), CUDA_SUCCESS);
        let words = std::slice::from_raw_parts(mem as *const u32, 16);
        assert_eq!((words[0], words[2], words[3], words[4]), (5, 0xffff_fffe, 0xffff_ffff, 6));

        // NVIDIA's answers: an empty batch is fine, 256 operations are too many.
        assert_eq!(cuStreamBatchMemOp_v2(s, 0, ok.as_ptr(), 0), CUDA_SUCCESS);
        assert_eq!(cuStreamBatchMemOp_v2(s, 1, ok.as_ptr(), 1), CUDA_ERROR_INVALID_VALUE);
        let big = vec![ok[0]; 257];
        assert_eq!(cuStreamBatchMemOp_v2(s, 257, big.as_ptr(), 0), CUDA_ERROR_INVALID_VALUE);
        assert_eq!(cuStreamBatchMemOp_v2(s, 256, big.as_ptr(), 0), CUDA_ERROR_INVALID_VALUE);
        assert_eq!(cuStreamBatchMemOp_v2(s, 255, big.as_ptr(), 0), CUDA_SUCCESS);
        let bad = [op(7, base, 0, 0)];
        assert_eq!(cuStreamBatchMemOp_v2(s, 1, bad.as_ptr(), 0), CUDA_ERROR_INVALID_VALUE);
        let misaligned = [op(memops::CU_STREAM_MEM_OP_WRITE_VALUE_64, base + 4, 0, 0)];
        assert_eq!(cuStreamBatchMemOp_v2(s, 1, misaligned.as_ptr(), 0), CUDA_ERROR_INVALID_VALUE);

        // Captured: one batch-mem-op node per call, replayed by every launch.
        std::ptr::write_bytes(mem as *mut u8, 0, 64);
        assert_eq!(cuStreamBeginCapture_v2(s, 0), CUDA_SUCCESS);
        assert_eq!(cuStreamWriteValue32_v2(s, base + 32, 11, 0), CUDA_SUCCESS);
        assert_eq!(cuStreamBatchMemOp_v2(s, 1, ok[3..4].as_ptr(), 0), CUDA_SUCCESS);
        let mut g = null_mut();
        assert_eq!(cuStreamEndCapture(s, &mut g), CUDA_SUCCESS);
        assert_eq!(node_types(g), vec![12, 12]);
        let mut cn = [null_mut(); 2];
        let mut nn = 2;
        assert_eq!(cuGraphGetNodes(g, cn.as_mut_ptr(), &mut nn), CUDA_SUCCESS);
        let mut bp: cuda::driver::memops::CUDA_BATCH_MEM_OP_NODE_PARAMS = std::mem::zeroed();
        assert_eq!(cuGraphBatchMemOpNodeGetParams(cn[0], &mut bp), CUDA_SUCCESS);
        let first = *bp.param_array;
        assert_eq!((bp.count, first.operation, first.address, first.value), (1, memops::CU_STREAM_MEM_OP_WRITE_VALUE_32, base + 32, 11));
        assert_eq!(words[8], 0, "captured, not run");
        let mut ge = null_mut();
        assert_eq!(cuGraphInstantiateWithFlags(&mut ge, g, 0), CUDA_SUCCESS);
        for _ in 0..2 {
            std::ptr::write_bytes(mem as *mut u8, 0, 64);
            assert_eq!(cuGraphLaunch(ge, s), CUDA_SUCCESS);
            assert_eq!(cuStreamSynchronize(s), CUDA_SUCCESS);
            assert_eq!((words[8], words[2]), (11, 0xffff_fffe));
        }
        assert_eq!(cuGraphExecDestroy(ge), CUDA_SUCCESS);
        assert_eq!(cuGraphDestroy(g), CUDA_SUCCESS);
        assert_eq!(cuStreamDestroy_v2(s), CUDA_SUCCESS);
        assert_eq!(cuMemFreeHost(mem), CUDA_SUCCESS);
    }
}

#[test]
fn device_attributes_advertise_the_v2_stream_memory_operations() {
    primary();
    let attr = |a| {
        let mut v = -1;
        assert_eq!(unsafe { cuDeviceGetAttribute(&mut v, a, 0) }, CUDA_SUCCESS);
        v
    };
    // As on the H100: the v2 operations (64-bit, NOR) yes, the v1 entry points no.
    assert_eq!((attr(122), attr(123)), (1, 1));
    assert_eq!((attr(92), attr(93), attr(94)), (0, 0, 0));
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct AccessPolicyWindow {
    base_ptr: usize,
    num_bytes: usize,
    hit_ratio: f32,
    hit_prop: c_uint,
    miss_prop: c_uint,
}

#[test]
fn stream_attributes_return_what_was_set_and_copy() {
    let _g = serial();
    primary();
    unsafe {
        let (a, b) = (stream(1), stream(0));
        let get = |s: CUstream, attr: c_uint| {
            let mut v = [0xeeu8; 64];
            let r = cuStreamGetAttribute(s, attr, &mut v);
            (r, v)
        };
        let set = |s: CUstream, attr: c_uint, bytes: &[u8]| {
            let mut v = [0u8; 64];
            v[..bytes.len()].copy_from_slice(bytes);
            cuStreamSetAttribute(s, attr, &v)
        };
        // Defaults: no window, no sync policy set (NVIDIA answers 0xffffffff), the creation
        // priority.
        let (r, v) = get(a, memops::ATTR_SYNCHRONIZATION_POLICY);
        assert_eq!((r, u32::from_ne_bytes(v[..4].try_into().unwrap())), (CUDA_SUCCESS, u32::MAX));
        let (r, v) = get(a, memops::ATTR_ACCESS_POLICY_WINDOW);
        assert_eq!(r, CUDA_SUCCESS);
        assert!(v[..32].iter().all(|&x| x == 0), "{:?}", &v[..32]);

        let mut buf = 0;
        assert_eq!(cuMemAlloc_v2(&mut buf, 1 << 20), CUDA_SUCCESS);
        let w = AccessPolicyWindow { base_ptr: buf as usize, num_bytes: 1 << 20, hit_ratio: 0.6, hit_prop: 2, miss_prop: 1 };
        let wb = std::slice::from_raw_parts(&w as *const _ as *const u8, 32);
        assert_eq!(set(a, memops::ATTR_ACCESS_POLICY_WINDOW, wb), CUDA_SUCCESS);
        let (_, v) = get(a, memops::ATTR_ACCESS_POLICY_WINDOW);
        assert_eq!(std::ptr::read_unaligned(v.as_ptr() as *const AccessPolicyWindow), w);
        assert_eq!(set(a, memops::ATTR_SYNCHRONIZATION_POLICY, &4u32.to_ne_bytes()), CUDA_SUCCESS);
        assert_eq!(set(a, memops::ATTR_SYNCHRONIZATION_POLICY, &0u32.to_ne_bytes()), CUDA_ERROR_INVALID_VALUE);
        let bad = AccessPolicyWindow { hit_ratio: 1.5, ..w };
        assert_eq!(set(a, memops::ATTR_ACCESS_POLICY_WINDOW, std::slice::from_raw_parts(&bad as *const _ as *const u8, 32)), CUDA_ERROR_INVALID_VALUE);

        // The priority attribute is the stream's priority (clamped to the range).
        let (mut least, mut greatest) = (0, 0);
        assert_eq!(cuCtxGetStreamPriorityRange(&mut least, &mut greatest), CUDA_SUCCESS);
        assert_eq!(set(a, memops::ATTR_PRIORITY, &(greatest - 100).to_ne_bytes()), CUDA_SUCCESS);
        let mut p = 99;
        assert_eq!(cuStreamGetPriority(a, &mut p), CUDA_SUCCESS);
        assert_eq!(p, greatest);

        // Copy: b now answers a's values.
        assert_eq!(cuStreamCopyAttributes(b, a), CUDA_SUCCESS);
        let (_, v) = get(b, memops::ATTR_ACCESS_POLICY_WINDOW);
        assert_eq!(std::ptr::read_unaligned(v.as_ptr() as *const AccessPolicyWindow), w);
        let (_, v) = get(b, memops::ATTR_SYNCHRONIZATION_POLICY);
        assert_eq!(u32::from_ne_bytes(v[..4].try_into().unwrap()), 4);
        assert_eq!(cuStreamGetPriority(b, &mut p), CUDA_SUCCESS);
        assert_eq!(p, greatest);

        // Attributes that are not stream attributes, bad handles, NULL values.
        assert_eq!(get(a, 2).0, CUDA_ERROR_INVALID_VALUE, "COOPERATIVE is a launch attribute");
        assert_eq!(set(a, 2, &[1]), CUDA_ERROR_INVALID_VALUE);
        assert_eq!(cuStreamGetAttribute(a, 1, null_mut()), CUDA_ERROR_INVALID_VALUE);
        assert_eq!(get(0xbad0 as CUstream, 1).0, CUDA_ERROR_INVALID_HANDLE);
        // The NULL stream has attributes too.
        assert_eq!(set(null_mut(), memops::ATTR_SYNCHRONIZATION_POLICY, &3u32.to_ne_bytes()), CUDA_SUCCESS);
        let (_, v) = get(null_mut(), memops::ATTR_SYNCHRONIZATION_POLICY);
        assert_eq!(u32::from_ne_bytes(v[..4].try_into().unwrap()), 3);
        assert_eq!(set(null_mut(), memops::ATTR_SYNCHRONIZATION_POLICY, &1u32.to_ne_bytes()), CUDA_SUCCESS);

        assert_eq!(cuMemFree_v2(buf), CUDA_SUCCESS);
        assert_eq!(cuStreamDestroy_v2(a), CUDA_SUCCESS);
        assert_eq!(cuStreamDestroy_v2(b), CUDA_SUCCESS);
    }
}

// ---------------------------------------------------------------------------------------------
// JIT linking
// ---------------------------------------------------------------------------------------------

use cuda::driver::link::CUlinkState;
use std::ffi::{c_char, CStr, CString};

/// Uses `scale` and `bias` from another module; has a module-local `$str` of its own.
const LINK_A: &str = r#"
.version 7.0
.target sm_70
.address_size 64

.extern .func (.param .b32 r) scale (.param .b32 x);
.extern .global .align 4 .u32 bias;
.global .align 1 .b8 $str[4] = {10, 20, 30, 40};
.extern .shared .align 4 .b8 dsm[];

.visible .entry apply(.param .u64 p_out, .param .u32 p_n)
{
    .reg .pred %p<2>;
    .reg .b32 %r<12>;
    .reg .b64 %rd<8>;
    ld.param.u64 %rd1, [p_out];
    ld.param.u32 %r1, [p_n];
    mov.u32 %r2, %tid.x;
    setp.ge.u32 %p1, %r2, %r1;
    @%p1 bra DONE;
    {
    .param .b32 a0;
    .param .b32 r0;
    st.param.b32 [a0], %r2;
    call.uni (r0), scale, (a0);
    ld.param.b32 %r3, [r0];
    }
    mov.u64 %rd2, bias;
    ld.global.u32 %r4, [%rd2];
    mov.u64 %rd3, $str;
    ld.global.u8 %r5, [%rd3];
    // Through dynamic shared memory (declared by both inputs).
    mov.u32 %r8, dsm;
    shl.b32 %r9, %r2, 2;
    add.s32 %r10, %r8, %r9;
    st.shared.u32 [%r10], %r5;
    ld.shared.u32 %r5, [%r10];
    add.s32 %r6, %r3, %r4;
    add.s32 %r7, %r6, %r5;
    cvta.to.global.u64 %rd4, %rd1;
    mul.wide.u32 %rd5, %r2, 4;
    add.s64 %rd6, %rd4, %rd5;
    st.global.u32 [%rd6], %r7;
DONE:
    ret;
}
"#;

/// Defines `scale` and `bias`; its own `$str` differs from LINK_A's.
const LINK_B: &str = r#"
.version 7.8
.target sm_75
.address_size 64

.visible .global .align 4 .u32 bias = 1000;
.global .align 1 .b8 $str[2] = {7, 8};
.extern .shared .align 4 .b8 dsm[];

.visible .func (.param .b32 r) scale (.param .b32 x)
{
    .reg .b32 %r<3>;
    ld.param.b32 %r1, [x];
    mul.lo.s32 %r2, %r1, 3;
    st.param.b32 [r], %r2;
    ret;
}

.visible .entry local_str(.param .u64 p_out)
{
    .reg .b32 %r<3>;
    .reg .b64 %rd<4>;
    ld.param.u64 %rd1, [p_out];
    mov.u64 %rd2, $str;
    ld.global.u8 %r1, [%rd2+1];
    cvta.to.global.u64 %rd3, %rd1;
    st.global.u32 [%rd3], %r1;
    ret;
}
"#;

const CU_JIT_INPUT_PTX: c_uint = 1;
const CU_JIT_ERROR_LOG_BUFFER: c_uint = 5;
const CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES: c_uint = 6;

/// A link state whose error log goes to `log`.
unsafe fn link_state(log: &mut [u8; 1024], opts: &mut [c_uint; 2], vals: &mut [*mut c_void; 2]) -> CUlinkState {
    *opts = [CU_JIT_ERROR_LOG_BUFFER, CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES];
    *vals = [log.as_mut_ptr() as *mut c_void, log.len() as *mut c_void];
    let mut st = null_mut();
    assert_eq!(cuLinkCreate_v2(2, opts.as_mut_ptr(), vals.as_mut_ptr(), &mut st), CUDA_SUCCESS);
    st
}

unsafe fn add_ptx(st: CUlinkState, text: &str, name: &CStr) -> CUresult {
    let c = CString::new(text).unwrap();
    let bytes = c.as_bytes_with_nul();
    cuLinkAddData_v2(st, CU_JIT_INPUT_PTX, bytes.as_ptr() as *mut c_void, bytes.len(), name.as_ptr(), 0, null_mut(), null_mut())
}

fn log_text(log: &[u8]) -> String {
    CStr::from_bytes_until_nul(log).unwrap().to_string_lossy().into_owned()
}

#[test]
fn link_resolves_extern_functions_and_globals_across_ptx_inputs() {
    let _g = serial();
    primary();
    unsafe {
        let (mut log, mut opts, mut vals) = ([0u8; 1024], [0; 2], [null_mut(); 2]);
        let st = link_state(&mut log, &mut opts, &mut vals);
        assert_eq!(add_ptx(st, LINK_A, c"a.ptx"), CUDA_SUCCESS);
        // The second input from a file.
        let path = std::env::temp_dir().join(format!("cuemu-link-b-{}.ptx", std::process::id()));
        std::fs::write(&path, LINK_B).unwrap();
        let cpath = CString::new(path.to_str().unwrap()).unwrap();
        assert_eq!(cuLinkAddFile_v2(st, CU_JIT_INPUT_PTX, cpath.as_ptr(), 0, null_mut(), null_mut()), CUDA_SUCCESS);
        let _ = std::fs::remove_file(&path);
        let (mut image, mut size) = (null_mut(), 0usize);
        assert_eq!(cuLinkComplete(st, &mut image, &mut size), CUDA_SUCCESS, "{}", log_text(&log));
        assert!(size > 0 && *(image as *const u8).add(size - 1) == 0);

        // The linked image loads as a module and as a library, and both run.
        let mut m = null_mut();
        assert_eq!(cuModuleLoadData(&mut m, image), CUDA_SUCCESS);
        let mut lib = null_mut();
        assert_eq!(cuLibraryLoadData(&mut lib, image, null_mut(), null_mut(), 0, null_mut(), null_mut(), 0), CUDA_SUCCESS);
        assert_eq!(cuLinkDestroy(st), CUDA_SUCCESS);
        assert_eq!(cuLinkDestroy(st), CUDA_ERROR_INVALID_HANDLE);

        let mut f = null_mut();
        assert_eq!(cuModuleGetFunction(&mut f, m, c"apply".as_ptr()), CUDA_SUCCESS);
        let mut out = 0;
        assert_eq!(cuMemAlloc_v2(&mut out, 64 * 4), CUDA_SUCCESS);
        let (mut p, mut n) = (out, 64u32);
        let mut args = [&mut p as *mut _ as *mut c_void, &mut n as *mut _ as *mut c_void];
        assert_eq!(cuLaunchKernel(f, 1, 1, 1, 64, 1, 1, 256, null_mut(), args.as_mut_ptr(), null_mut()), CUDA_SUCCESS);
        let mut host = [0u32; 64];
        assert_eq!(cuMemcpyDtoH_v2(host.as_mut_ptr() as *mut c_void, out, 256), CUDA_SUCCESS);
        // scale (from b) + bias (from b) + a's own $str[0].
        for (i, h) in host.iter().enumerate() {
            assert_eq!(*h, 3 * i as u32 + 1000 + 10, "element {i}");
        }
        // b's kernel still sees b's own $str.
        let mut k = null_mut();
        assert_eq!(cuLibraryGetKernel(&mut k, lib, c"local_str".as_ptr()), CUDA_SUCCESS);
        let mut args1 = [&mut p as *mut _ as *mut c_void];
        assert_eq!(cuLaunchKernel(k as CUfunction, 1, 1, 1, 1, 1, 1, 0, null_mut(), args1.as_mut_ptr(), null_mut()), CUDA_SUCCESS);
        assert_eq!(cuMemcpyDtoH_v2(host.as_mut_ptr() as *mut c_void, out, 4), CUDA_SUCCESS);
        assert_eq!(host[0], 8);
        // The module global `bias` is the one definition both inputs share.
        let (mut gp, mut gs) = (0, 0usize);
        assert_eq!(cuModuleGetGlobal_v2(&mut gp, &mut gs, m, c"bias".as_ptr()), CUDA_SUCCESS);
        assert_eq!(gs, 4);
        assert_eq!(cuMemFree_v2(out), CUDA_SUCCESS);
        assert_eq!(cuModuleUnload(m), CUDA_SUCCESS);
        assert_eq!(cuLibraryUnload(lib), CUDA_SUCCESS);
    }
}

#[test]
fn link_errors_name_the_symbol_in_the_error_log() {
    let _g = serial();
    primary();
    unsafe {
        // Unresolved: a alone.
        let (mut log, mut opts, mut vals) = ([0u8; 1024], [0; 2], [null_mut(); 2]);
        let st = link_state(&mut log, &mut opts, &mut vals);
        assert_eq!(add_ptx(st, LINK_A, c"a.ptx"), CUDA_SUCCESS);
        let (mut image, mut size) = (null_mut(), 0usize);
        assert_eq!(cuLinkComplete(st, &mut image, &mut size), CUDA_ERROR_INVALID_SOURCE);
        let text = log_text(&log);
        assert!(text.contains("error   : Undefined reference to 'scale' in 'a.ptx'") && text.contains("'bias'"), "{text}");
        assert_eq!(cuLinkDestroy(st), CUDA_SUCCESS);

        // Multiple definition: b twice.
        let (mut log, mut opts, mut vals) = ([0u8; 1024], [0; 2], [null_mut(); 2]);
        let st = link_state(&mut log, &mut opts, &mut vals);
        // NVIDIA refuses the second input when it is added, and every completion after.
        assert_eq!(add_ptx(st, LINK_B, c"b1.ptx"), CUDA_SUCCESS);
        assert_eq!(add_ptx(st, LINK_B, c"b2.ptx"), CUDA_ERROR_INVALID_SOURCE);
        let text = log_text(&log);
        assert!(text.contains("error   : Multiple definition of '") && text.contains("in 'b2.ptx', first defined in 'b1.ptx'"), "{text}");
        assert_eq!(cuLinkComplete(st, &mut image, &mut size), CUDA_ERROR_INVALID_SOURCE);
        assert_eq!(cuLinkDestroy(st), CUDA_SUCCESS);

        // A syntax error fails when the input is added, with the parser's message.
        let (mut log, mut opts, mut vals) = ([0u8; 1024], [0; 2], [null_mut(); 2]);
        let st = link_state(&mut log, &mut opts, &mut vals);
        assert_eq!(add_ptx(st, ".version 7.0\n.target sm_70\n.address_size 64\n.visible .entry k( {\n", c"bad.ptx"), CUDA_ERROR_INVALID_PTX);
        assert!(log_text(&log).contains("bad.ptx"), "{}", log_text(&log));
        // Bad arguments and handles.
        assert_eq!(cuLinkAddData_v2(st, 99, b"x\0".as_ptr() as *mut c_void, 2, null(), 0, null_mut(), null_mut()), CUDA_ERROR_INVALID_VALUE);
        assert_eq!(cuLinkAddData_v2(st, CU_JIT_INPUT_PTX, null_mut(), 0, null(), 0, null_mut(), null_mut()), CUDA_ERROR_INVALID_VALUE);
        assert_eq!(cuLinkAddFile_v2(st, CU_JIT_INPUT_PTX, c"/nonexistent/x.ptx".as_ptr(), 0, null_mut(), null_mut()), CUDA_ERROR_INVALID_VALUE);
        // Nothing added: completing succeeds with an empty module.
        assert_eq!(cuLinkComplete(st, &mut image, &mut size), CUDA_SUCCESS);
        let mut m = null_mut();
        assert_eq!(cuModuleLoadData(&mut m, image), CUDA_SUCCESS);
        let mut count = 9;
        assert_eq!(cuModuleGetFunctionCount(&mut count, m), CUDA_SUCCESS);
        assert_eq!(count, 0);
        assert_eq!(cuModuleUnload(m), CUDA_SUCCESS);
        assert_eq!(cuLinkComplete(0x1230 as CUlinkState, &mut image, &mut size), CUDA_ERROR_INVALID_HANDLE);
        assert_eq!(cuLinkDestroy(st), CUDA_SUCCESS);
    }
}

/// Inputs nvcc makes with -rdc: a host object (`nvcc -dc`) and a relocatable fatbin, both
/// carrying PTX with `.extern` references into each other. Skipped without nvcc.
#[test]
fn link_takes_objects_and_fatbins_built_by_nvcc() {
    let Some(nvcc) = std::env::var_os("CUEMU_CUDA_HOME")
        .map(|h| std::path::PathBuf::from(h).join("bin/nvcc"))
        .filter(|p| p.is_file())
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".cache/cuemu/cuda/bin/nvcc")).filter(|p| p.is_file()))
    else {
        eprintln!("SKIPPED link_takes_objects_and_fatbins_built_by_nvcc: nvcc not found");
        return;
    };
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("link-rdc");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("main.cu"), "extern __device__ int twice(int);\nextern __device__ int offset;\n__global__ void k(int* o) { o[threadIdx.x] = twice(threadIdx.x) + offset; }\n").unwrap();
    std::fs::write(dir.join("lib.cu"), "__device__ int offset = 5;\n__device__ int twice(int x) { return 2 * x; }\n").unwrap();
    let run = |args: &[&str]| {
        let out = std::process::Command::new(&nvcc).current_dir(&dir).args(args).output().unwrap();
        assert!(out.status.success(), "nvcc {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    run(&["-dc", "-o", "main.o", "main.cu"]);
    run(&["-rdc=true", "-fatbin", "-o", "lib.fatbin", "lib.cu"]);
    let _g = serial();
    primary();
    unsafe {
        let (mut log, mut opts, mut vals) = ([0u8; 1024], [0; 2], [null_mut(); 2]);
        let st = link_state(&mut log, &mut opts, &mut vals);
        let obj = CString::new(dir.join("main.o").to_str().unwrap()).unwrap();
        assert_eq!(cuLinkAddFile_v2(st, 3, obj.as_ptr(), 0, null_mut(), null_mut()), CUDA_SUCCESS, "{}", log_text(&log));
        let fb = std::fs::read(dir.join("lib.fatbin")).unwrap();
        assert_eq!(cuLinkAddData_v2(st, 2, fb.as_ptr() as *mut c_void, fb.len(), c"lib.fatbin".as_ptr(), 0, null_mut(), null_mut()), CUDA_SUCCESS, "{}", log_text(&log));
        let (mut image, mut size) = (null_mut(), 0usize);
        assert_eq!(cuLinkComplete(st, &mut image, &mut size), CUDA_SUCCESS, "{}", log_text(&log));
        let mut m = null_mut();
        assert_eq!(cuModuleLoadData(&mut m, image), CUDA_SUCCESS);
        let mut f = null_mut();
        assert_eq!(cuModuleGetFunction(&mut f, m, c"_Z1kPi".as_ptr()), CUDA_SUCCESS);
        let mut out = 0;
        assert_eq!(cuMemAlloc_v2(&mut out, 32 * 4), CUDA_SUCCESS);
        let mut p = out;
        let mut args = [&mut p as *mut _ as *mut c_void];
        assert_eq!(cuLaunchKernel(f, 1, 1, 1, 32, 1, 1, 0, null_mut(), args.as_mut_ptr(), null_mut()), CUDA_SUCCESS);
        let mut host = [0i32; 32];
        assert_eq!(cuMemcpyDtoH_v2(host.as_mut_ptr() as *mut c_void, out, 128), CUDA_SUCCESS);
        assert!(host.iter().enumerate().all(|(i, &h)| h == 2 * i as i32 + 5), "{host:?}");
        assert_eq!(cuMemFree_v2(out), CUDA_SUCCESS);
        assert_eq!(cuModuleUnload(m), CUDA_SUCCESS);
        assert_eq!(cuLinkDestroy(st), CUDA_SUCCESS);
    }
    let _: *const c_char = null();
}

// ---------------------------------------------------------------------------------------------
// CUDA arrays
// ---------------------------------------------------------------------------------------------

use cuda::driver::array::{CUDA_ARRAY3D_DESCRIPTOR, CUDA_ARRAY_DESCRIPTOR};

mod common;
use common::{serial, primary, stream};

const FMT_U8: c_uint = 0x01;
const FMT_U32: c_uint = 0x03;
const FMT_FLOAT: c_uint = 0x20;
const FMT_HALF: c_uint = 0x10;

#[test]
fn arrays_are_created_described_and_destroyed() {
    let _g = serial();
    primary();
    unsafe {
        let mut a = null_mut();
        let d = CUDA_ARRAY_DESCRIPTOR { width: 100, height: 30, format: FMT_FLOAT, num_channels: 4 };
        assert_eq!(cuArrayCreate_v2(&mut a, &d), CUDA_SUCCESS);
        let mut back = CUDA_ARRAY_DESCRIPTOR::default();
        assert_eq!(cuArrayGetDescriptor_v2(&mut back, a), CUDA_SUCCESS);
        assert_eq!(back, d);
        let mut back3 = CUDA_ARRAY3D_DESCRIPTOR::default();
        assert_eq!(cuArray3DGetDescriptor_v2(&mut back3, a), CUDA_SUCCESS);
        assert_eq!(back3, CUDA_ARRAY3D_DESCRIPTOR { width: 100, height: 30, depth: 0, format: FMT_FLOAT, num_channels: 4, flags: 0 });

        // Layered 2D and cubemap arrays keep their flags.
        let mut l = null_mut();
        let d3 = CUDA_ARRAY3D_DESCRIPTOR { width: 16, height: 8, depth: 3, format: FMT_HALF, num_channels: 2, flags: 0x01 | 0x02 };
        assert_eq!(cuArray3DCreate_v2(&mut l, &d3), CUDA_SUCCESS);
        assert_eq!(cuArray3DGetDescriptor_v2(&mut back3, l), CUDA_SUCCESS);
        assert_eq!(back3, d3);
        let mut c = null_mut();
        let cube = CUDA_ARRAY3D_DESCRIPTOR { width: 8, height: 8, depth: 6, format: FMT_U8, num_channels: 1, flags: 0x04 };
        assert_eq!(cuArray3DCreate_v2(&mut c, &cube), CUDA_SUCCESS);

        // Refusals: bad channel count, zero width, unknown format, a cubemap that is not
        // square or not 6 faces, sizes past the device's texture limits, unknown flags.
        let mut x = null_mut();
        let bad = |w, h, dp, f, ch, fl| CUDA_ARRAY3D_DESCRIPTOR { width: w, height: h, depth: dp, format: f, num_channels: ch, flags: fl };
        for (desc, want) in [
            (bad(8, 8, 0, FMT_FLOAT, 3, 0), CUDA_ERROR_INVALID_VALUE),
            (bad(0, 8, 0, FMT_FLOAT, 1, 0), CUDA_ERROR_INVALID_VALUE),
            (bad(8, 8, 0, 0x77, 1, 0), CUDA_ERROR_INVALID_VALUE),
            (bad(8, 4, 6, FMT_U8, 1, 0x04), CUDA_ERROR_INVALID_VALUE),
            (bad(8, 8, 5, FMT_U8, 1, 0x04), CUDA_ERROR_INVALID_VALUE),
            (bad(200_000, 0, 0, FMT_U8, 1, 0), CUDA_ERROR_INVALID_VALUE),
            (bad(20_000, 10, 10, FMT_U8, 1, 0), CUDA_ERROR_INVALID_VALUE),
            (bad(8, 8, 0, FMT_U8, 1, 0x1000), CUDA_ERROR_INVALID_VALUE),
        ] {
            assert_eq!(cuArray3DCreate_v2(&mut x, &desc), want, "{desc:?}");
        }
        assert_eq!(cuArrayCreate_v2(&mut x, null()), CUDA_ERROR_INVALID_VALUE);
        // Normalized formats carry their channel count.
        assert_eq!(cuArray3DCreate_v2(&mut x, &bad(8, 8, 0, 0xc2, 4, 0)), CUDA_SUCCESS, "UNORM_INT8X4");
        assert_eq!(cuArrayDestroy(x), CUDA_SUCCESS);
        assert_eq!(cuArray3DCreate_v2(&mut x, &bad(8, 8, 0, 0xc2, 1, 0)), CUDA_ERROR_INVALID_VALUE);

        for h in [a, l, c] {
            assert_eq!(cuArrayDestroy(h), CUDA_SUCCESS);
        }
        assert_eq!(cuArrayDestroy(a), CUDA_ERROR_INVALID_HANDLE);
        assert_eq!(cuArrayGetDescriptor_v2(&mut back, a), CUDA_ERROR_INVALID_HANDLE);
    }
}

fn copy2d() -> CUDA_MEMCPY2D {
    unsafe { std::mem::zeroed() }
}

/// Host → 2D array (a sub-rectangle) → device (pitched) → host, through cuMemcpy2D and the 1D
/// array copies; the array keeps its own row-major layout whatever the pitches around it.
#[test]
fn copies_to_and_from_arrays_keep_the_array_layout() {
    let _g = serial();
    primary();
    const W: usize = 20; // elements of u32
    const H: usize = 6;
    unsafe {
        let mut a = null_mut();
        assert_eq!(cuArrayCreate_v2(&mut a, &CUDA_ARRAY_DESCRIPTOR { width: W, height: H, format: FMT_U32, num_channels: 1 }), CUDA_SUCCESS);
        // A host image with a pitch of 32 elements.
        let host: Vec<u32> = (0..32 * H as u32).collect();
        let mut c = copy2d();
        c.src_memory_type = CU_MEMORYTYPE_HOST;
        c.src_host = host.as_ptr() as *const c_void;
        c.src_pitch = 32 * 4;
        c.dst_memory_type = CU_MEMORYTYPE_ARRAY;
        c.dst_array = a;
        c.width_in_bytes = W * 4;
        c.height = H;
        assert_eq!(cuMemcpy2D_v2(&c), CUDA_SUCCESS);
        // The array read back densely: row y is host row y without the padding.
        let mut lin = vec![0u32; W * H];
        let mut back = copy2d();
        back.src_memory_type = CU_MEMORYTYPE_ARRAY;
        back.src_array = a;
        back.dst_memory_type = CU_MEMORYTYPE_HOST;
        back.dst_host = lin.as_mut_ptr() as *mut c_void;
        back.width_in_bytes = W * 4;
        back.height = H;
        assert_eq!(cuMemcpy2D_v2(&back), CUDA_SUCCESS);
        // A 1D copy stays inside one row of a 2D array (NVIDIA refuses one that crosses).
        let mut row3 = [0u32; W];
        assert_eq!(cuMemcpyAtoH_v2(row3.as_mut_ptr() as *mut c_void, a, 3 * W * 4, W * 4), CUDA_SUCCESS);
        assert_eq!(&row3[..], &lin[3 * W..4 * W]);
        assert_eq!(cuMemcpyAtoH_v2(row3.as_mut_ptr() as *mut c_void, a, 3 * W * 4 + 4, W * 4), CUDA_ERROR_INVALID_VALUE);
        for y in 0..H {
            for x in 0..W {
                assert_eq!(lin[y * W + x], (y * 32 + x) as u32, "({x},{y})");
            }
        }
        // A sub-rectangle of the array (x 4..12, rows 2..5) to pitched device memory.
        let (mut d, mut pitch) = (0, 0usize);
        assert_eq!(cuMemAllocPitch_v2(&mut d, &mut pitch, 8 * 4, 3, 4), CUDA_SUCCESS);
        let mut c = copy2d();
        c.src_memory_type = CU_MEMORYTYPE_ARRAY;
        c.src_array = a;
        c.src_x_in_bytes = 4 * 4;
        c.src_y = 2;
        c.dst_memory_type = CU_MEMORYTYPE_DEVICE;
        c.dst_device = d;
        c.dst_pitch = pitch;
        c.width_in_bytes = 8 * 4;
        c.height = 3;
        let s = stream(1);
        assert_eq!(cuMemcpy2DAsync_v2(&c, s), CUDA_SUCCESS);
        assert_eq!(cuStreamSynchronize(s), CUDA_SUCCESS);
        let mut rows = vec![0u32; pitch / 4 * 3];
        assert_eq!(cuMemcpyDtoH_v2(rows.as_mut_ptr() as *mut c_void, d, pitch * 3), CUDA_SUCCESS);
        for y in 0..3 {
            for x in 0..8 {
                assert_eq!(rows[y * pitch / 4 + x], ((y + 2) * 32 + x + 4) as u32);
            }
        }
        // Out of the array: a row too wide, rows past the end.
        c.width_in_bytes = (W - 3) * 4;
        assert_eq!(cuMemcpy2D_v2(&c), CUDA_ERROR_INVALID_VALUE);
        c.width_in_bytes = 4;
        c.height = H - 1;
        assert_eq!(cuMemcpy2D_v2(&c), CUDA_ERROR_INVALID_VALUE);

        // 1D copies: device → array, array → array, array → device, and the async forms.
        let mut b = null_mut();
        assert_eq!(cuArrayCreate_v2(&mut b, &CUDA_ARRAY_DESCRIPTOR { width: W * H, height: 0, format: FMT_U32, num_channels: 1 }), CUDA_SUCCESS);
        // 2D array → 1D array: a 2D copy (b's single row holds a's rows back to back).
        let mut a2b = copy2d();
        a2b.src_memory_type = CU_MEMORYTYPE_ARRAY;
        a2b.src_array = a;
        a2b.dst_memory_type = CU_MEMORYTYPE_ARRAY;
        a2b.dst_array = b;
        a2b.width_in_bytes = W * 4;
        a2b.height = 1;
        for y in 0..H {
            a2b.src_y = y;
            a2b.dst_x_in_bytes = y * W * 4;
            assert_eq!(cuMemcpy2D_v2(&a2b), CUDA_SUCCESS);
        }
        let mut b2 = null_mut();
        assert_eq!(cuArrayCreate_v2(&mut b2, &CUDA_ARRAY_DESCRIPTOR { width: W * H, height: 0, format: FMT_U32, num_channels: 1 }), CUDA_SUCCESS);
        assert_eq!(cuMemcpyAtoA_v2(b2, 0, b, 0, W * H * 4), CUDA_SUCCESS);
        let mut check = vec![0u32; W * H];
        assert_eq!(cuMemcpyAtoH_v2(check.as_mut_ptr() as *mut c_void, b2, 0, W * H * 4), CUDA_SUCCESS);
        assert_eq!(check, lin);
        assert_eq!(cuArrayDestroy(b2), CUDA_SUCCESS);
        let mut dev = 0;
        assert_eq!(cuMemAlloc_v2(&mut dev, W * H * 4), CUDA_SUCCESS);
        assert_eq!(cuMemcpyAtoD_v2(dev, b, 8, 40), CUDA_SUCCESS);
        let mut ten = [0u32; 10];
        assert_eq!(cuMemcpyDtoH_v2(ten.as_mut_ptr() as *mut c_void, dev, 40), CUDA_SUCCESS);
        assert_eq!(ten.to_vec(), lin[2..12].to_vec());
        assert_eq!(cuMemsetD32_v2(dev, 0xabab, 4), CUDA_SUCCESS);
        assert_eq!(cuMemcpyDtoA_v2(b, 4, dev, 16), CUDA_SUCCESS);
        let src = [7u32, 8, 9];
        assert_eq!(cuMemcpyHtoAAsync_v2(b, (W * H - 3) * 4, src.as_ptr() as *const c_void, 12, s), CUDA_SUCCESS);
        let mut all = vec![0u32; W * H];
        assert_eq!(cuMemcpyAtoHAsync_v2(all.as_mut_ptr() as *mut c_void, b, 0, W * H * 4, s), CUDA_SUCCESS);
        assert_eq!(cuStreamSynchronize(s), CUDA_SUCCESS);
        assert_eq!(all[0], lin[0]);
        assert_eq!(&all[1..5], &[0xabab; 4]);
        assert_eq!(&all[5..W * H - 3], &lin[5..W * H - 3]);
        assert_eq!(&all[W * H - 3..], &src);
        // Bounds and handles.
        assert_eq!(cuMemcpyHtoA_v2(b, W * H * 4 - 2, src.as_ptr() as *const c_void, 4), CUDA_ERROR_INVALID_VALUE);
        assert_eq!(cuMemcpyAtoH_v2(all.as_mut_ptr() as *mut c_void, 0x5550 as CUarray, 0, 4), CUDA_ERROR_INVALID_VALUE);

        // A 3D copy into one layer of a layered array.
        let mut l = null_mut();
        assert_eq!(cuArray3DCreate_v2(&mut l, &CUDA_ARRAY3D_DESCRIPTOR { width: 4, height: 2, depth: 3, format: FMT_U8, num_channels: 4, flags: 1 }), CUDA_SUCCESS);
        let layer: Vec<u8> = (0..32).collect();
        let mut p = CUDA_MEMCPY3D::zeroed();
        p.src_memory_type = CU_MEMORYTYPE_HOST;
        p.src_host = layer.as_ptr() as *const c_void;
        p.dst_memory_type = CU_MEMORYTYPE_ARRAY;
        p.dst_array = l;
        p.dst_z = 2;
        p.width_in_bytes = 16;
        p.height = 2;
        p.depth = 1;
        assert_eq!(cuMemcpy3D_v2(&p), CUDA_SUCCESS);
        let mut whole = [0u8; 96];
        let mut back = CUDA_MEMCPY3D::zeroed();
        back.src_memory_type = CU_MEMORYTYPE_ARRAY;
        back.src_array = l;
        back.dst_memory_type = CU_MEMORYTYPE_HOST;
        back.dst_host = whole.as_mut_ptr() as *mut c_void;
        back.width_in_bytes = 16;
        back.height = 2;
        back.depth = 3;
        assert_eq!(cuMemcpy3D_v2(&back), CUDA_SUCCESS);
        assert!(whole[..64].iter().all(|&v| v == 0));
        assert_eq!(&whole[64..], &layer[..]);
        p.dst_z = 3;
        assert_eq!(cuMemcpy3D_v2(&p), CUDA_ERROR_INVALID_VALUE, "past the last layer");

        for h in [a, b, l] {
            assert_eq!(cuArrayDestroy(h), CUDA_SUCCESS);
        }
        assert_eq!(cuMemFree_v2(d), CUDA_SUCCESS);
        assert_eq!(cuMemFree_v2(dev), CUDA_SUCCESS);
        assert_eq!(cuStreamDestroy_v2(s), CUDA_SUCCESS);
    }
}

/// Batch-mem-op graph nodes built explicitly: parameters read back, changed in the graph and
/// in the executable graph.
#[test]
fn batch_mem_op_nodes_are_built_read_and_updated() {
    use cuda::driver::memops::CUDA_BATCH_MEM_OP_NODE_PARAMS;
    let _g = serial();
    let ctx = primary();
    unsafe {
        let s = stream(1);
        let mem = pinned(64);
        let base = mem as CUdeviceptr;
        let write = |address: CUdeviceptr, value: u64, operation: c_uint| CUstreamBatchMemOpParams { operation, address, value, ..Default::default() };
        let mut ops = [write(base, 3, memops::CU_STREAM_MEM_OP_WRITE_VALUE_32), write(base + 8, 1 << 40, memops::CU_STREAM_MEM_OP_WRITE_VALUE_64)];
        let p = CUDA_BATCH_MEM_OP_NODE_PARAMS { ctx, count: 2, param_array: ops.as_mut_ptr(), flags: 0 };
        let mut g = null_mut();
        assert_eq!(cuGraphCreate(&mut g, 0), CUDA_SUCCESS);
        let mut node = null_mut();
        assert_eq!(cuGraphAddBatchMemOpNode(&mut node, g, null(), 0, &p), CUDA_SUCCESS);
        let bad = CUDA_BATCH_MEM_OP_NODE_PARAMS { flags: 1, ..p };
        let mut x = null_mut();
        assert_eq!(cuGraphAddBatchMemOpNode(&mut x, g, null(), 0, &bad), CUDA_ERROR_INVALID_VALUE);
        let mut back: CUDA_BATCH_MEM_OP_NODE_PARAMS = std::mem::zeroed();
        assert_eq!(cuGraphBatchMemOpNodeGetParams(node, &mut back), CUDA_SUCCESS);
        assert_eq!(back.count, 2);
        let arr = std::slice::from_raw_parts(back.param_array, 2);
        assert_eq!((arr[0].address, arr[0].value, arr[1].value), (base, 3, 1 << 40));
        let mut ge = null_mut();
        assert_eq!(cuGraphInstantiateWithFlags(&mut ge, g, 0), CUDA_SUCCESS);
        assert_eq!(cuGraphLaunch(ge, s), CUDA_SUCCESS);
        assert_eq!(cuStreamSynchronize(s), CUDA_SUCCESS);
        assert_eq!((*(mem as *const u32), *((mem as *const u64).add(1))), (3, 1 << 40));
        // Changed in the executable graph only, then in the graph (a new instantiation).
        (*p.param_array).value = 4;
        assert_eq!(cuGraphExecBatchMemOpNodeSetParams(ge, node, &p), CUDA_SUCCESS);
        assert_eq!(cuGraphLaunch(ge, s), CUDA_SUCCESS);
        assert_eq!(cuStreamSynchronize(s), CUDA_SUCCESS);
        assert_eq!(*(mem as *const u32), 4);
        assert_eq!(cuGraphBatchMemOpNodeGetParams(node, &mut back), CUDA_SUCCESS);
        assert_eq!((*back.param_array).value, 3, "the graph keeps its own parameters");
        (*p.param_array).value = 5;
        assert_eq!(cuGraphBatchMemOpNodeSetParams(node, &p), CUDA_SUCCESS);
        let mut ge2 = null_mut();
        assert_eq!(cuGraphExecDestroy(ge), CUDA_SUCCESS);
        assert_eq!(cuGraphInstantiateWithFlags(&mut ge2, g, 0), CUDA_SUCCESS);
        assert_eq!(cuGraphLaunch(ge2, s), CUDA_SUCCESS);
        assert_eq!(cuStreamSynchronize(s), CUDA_SUCCESS);
        assert_eq!(*(mem as *const u32), 5);
        // Not a batch node.
        let mut empty = null_mut();
        assert_eq!(cuGraphAddEmptyNode(&mut empty, g, null(), 0), CUDA_SUCCESS);
        assert_eq!(cuGraphBatchMemOpNodeGetParams(empty, &mut back), CUDA_ERROR_INVALID_VALUE);
        assert_eq!(cuGraphExecDestroy(ge2), CUDA_SUCCESS);
        assert_eq!(cuGraphDestroy(g), CUDA_SUCCESS);
        assert_eq!(cuStreamDestroy_v2(s), CUDA_SUCCESS);
        assert_eq!(cuMemFreeHost(mem), CUDA_SUCCESS);
    }
}

/// CUDA 13.0's pools by location: the host's pinned default pool and a managed default pool
/// hand out host-accessible memory of their kind, which cuMemFreeAsync gives back. (Which
/// pools exist and how the lookups answer is compared with the H100 by
/// tests/programs/driver_newer.cu; allocating from them is not, so it is checked here.)
#[test]
fn host_and_managed_default_pools_allocate_their_kind() {
    let _g = serial();
    primary();
    unsafe {
        let s = stream(1);
        for (loc_type, alloc_type, want_type) in [(2, 1, 1u32), (0, 2, 2u32)] {
            let mut loc = CUmemLocation { type_: loc_type, id: 0 };
            let mut pool = null_mut();
            assert_eq!(cuMemGetDefaultMemPool(&mut pool, &mut loc, alloc_type), CUDA_SUCCESS);
            let mut again = null_mut();
            assert_eq!(cuMemGetMemPool(&mut again, &mut loc, alloc_type), CUDA_SUCCESS);
            assert_eq!(pool, again);
            let mut p = 0;
            assert_eq!(cuMemAllocFromPoolAsync(&mut p, 4096, pool, s), CUDA_SUCCESS);
            assert_eq!(cuMemsetD32Async(p, 0x5a5a5a5a, 1024, s), CUDA_SUCCESS);
            assert_eq!(cuStreamSynchronize(s), CUDA_SUCCESS);
            assert_eq!(*(p as *const u32).add(1023), 0x5a5a5a5a);
            // CU_POINTER_ATTRIBUTE_MEMORY_TYPE: host for the host pool; managed memory is
            // CU_MEMORYTYPE_DEVICE with IS_MANAGED set (as NVIDIA answers for cuMemAllocManaged).
            let mut mt = 0u32;
            assert_eq!(cuPointerGetAttribute(&mut mt as *mut u32 as *mut c_void, 2, p), CUDA_SUCCESS);
            assert_eq!(mt, if want_type == 1 { 1 } else { 2 });
            let mut managed = 0u32;
            assert_eq!(cuPointerGetAttribute(&mut managed as *mut u32 as *mut c_void, 8, p), CUDA_SUCCESS);
            assert_eq!(managed, (alloc_type == 2) as u32);
            assert_eq!(cuMemFreeAsync(p, s), CUDA_SUCCESS);
            assert_eq!(cuStreamSynchronize(s), CUDA_SUCCESS);
        }
        assert_eq!(cuStreamDestroy_v2(s), CUDA_SUCCESS);
    }
}

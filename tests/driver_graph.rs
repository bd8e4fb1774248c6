//! Stream capture, CUDA graphs and virtual memory management in-process, through the exported
//! `extern "C"` entry points. The capture rules asserted here are the ones measured on NVIDIA's
//! driver (tests/programs/graph_capture.cu and its H100 golden output).

use cuda::api::entries::*;
use cuda::api::*;
use std::ffi::{c_uint, c_void, CString};
use std::ptr::{null, null_mut};

mod common;
use common::{serial, primary, stream};

const PTX: &str = r#"
.version 8.0
.target sm_75
.address_size 64

.visible .entry scale_add(
    .param .u64 p_ptr,
    .param .u32 p_mul,
    .param .u32 p_add,
    .param .u32 p_n
)
{
    .reg .pred %p<2>;
    .reg .b32 %r<10>;
    .reg .b64 %rd<5>;
    ld.param.u64 %rd1, [p_ptr];
    ld.param.u32 %r6, [p_mul];
    ld.param.u32 %r7, [p_add];
    ld.param.u32 %r1, [p_n];
    mov.u32 %r2, %ctaid.x;
    mov.u32 %r3, %ntid.x;
    mov.u32 %r4, %tid.x;
    mad.lo.s32 %r5, %r2, %r3, %r4;
    setp.ge.u32 %p1, %r5, %r1;
    @%p1 bra DONE;
    cvta.to.global.u64 %rd2, %rd1;
    mul.wide.u32 %rd3, %r5, 4;
    add.s64 %rd4, %rd2, %rd3;
    ld.global.u32 %r8, [%rd4];
    mad.lo.s32 %r9, %r8, %r6, %r7;
    st.global.u32 [%rd4], %r9;
DONE:
    ret;
}
"#;

fn kernel() -> CUfunction {
    let ptx = CString::new(PTX).unwrap();
    let mut m = null_mut();
    let mut f = null_mut();
    unsafe {
        assert_eq!(cuModuleLoadData(&mut m, ptx.as_ptr().cast()), CUDA_SUCCESS);
        assert_eq!(cuModuleGetFunction(&mut f, m, c"scale_add".as_ptr()), CUDA_SUCCESS);
    }
    f
}

const N: usize = 1000;

/// Launches scale_add(p, mul, add, N) on `s` with arguments that live on this stack frame only.
unsafe fn launch(f: CUfunction, s: CUstream, p: CUdeviceptr, mul: u32, add: u32) -> CUresult {
    let (mut p, mut mul, mut add, mut n) = (p, mul, add, N as u32);
    let mut args: [*mut c_void; 4] =
        [&mut p as *mut _ as *mut c_void, &mut mul as *mut _ as *mut c_void, &mut add as *mut _ as *mut c_void, &mut n as *mut _ as *mut c_void];
    let r = cuLaunchKernel(f, 4, 1, 1, 256, 1, 1, 0, s, args.as_mut_ptr(), null_mut());
    // Clobber the argument storage: a captured launch must have copied it.
    mul = 0xdead;
    add = 0xbeef;
    std::hint::black_box((&mul, &add));
    r
}

unsafe fn read(p: CUdeviceptr) -> Vec<u32> {
    let mut v = vec![0u32; N];
    assert_eq!(cuMemcpyDtoH_v2(v.as_mut_ptr().cast(), p, N * 4), CUDA_SUCCESS);
    v
}

#[test]
fn capture_snapshots_arguments_and_replays() {
    let _g = serial();
    primary();
    let f = kernel();
    unsafe {
        let s = stream(1);
        let mut p = 0;
        assert_eq!(cuMemAlloc_v2(&mut p, N * 4), CUDA_SUCCESS);
        assert_eq!(cuMemsetD32_v2(p, 1, N), CUDA_SUCCESS);
        assert_eq!(cuStreamBeginCapture_v2(s, 0), CUDA_SUCCESS);
        let mut st = 9;
        assert_eq!(cuStreamIsCapturing(s, &mut st), CUDA_SUCCESS);
        assert_eq!(st, 1);
        assert_eq!(cuMemsetD32Async(p, 2, N, s), CUDA_SUCCESS);
        assert_eq!(launch(f, s, p, 3, 1), CUDA_SUCCESS); // 7
        assert_eq!(launch(f, s, p, 2, 0), CUDA_SUCCESS); // 14
        assert_eq!(read(p)[0], 1, "nothing runs during capture");
        let (mut id, mut g, mut deps, mut nd) = (0u64, null_mut(), null(), 0usize);
        assert_eq!(cuStreamGetCaptureInfo_v2(s, &mut st, &mut id, &mut g, &mut deps, &mut nd), CUDA_SUCCESS);
        assert!(id != 0 && !g.is_null() && nd == 1 && !deps.is_null());
        let mut graph = null_mut();
        assert_eq!(cuStreamEndCapture(s, &mut graph), CUDA_SUCCESS);
        assert_eq!(graph, g);
        let mut n = 0;
        assert_eq!(cuGraphGetNodes(graph, null_mut(), &mut n), CUDA_SUCCESS);
        assert_eq!(n, 3);
        let mut e = 0;
        assert_eq!(cuGraphGetEdges(graph, null_mut(), null_mut(), &mut e), CUDA_SUCCESS);
        assert_eq!(e, 2);
        let mut exec = null_mut();
        assert_eq!(cuGraphInstantiateWithFlags(&mut exec, graph, 0), CUDA_SUCCESS);
        for _ in 0..20 {
            assert_eq!(cuGraphLaunch(exec, s), CUDA_SUCCESS);
        }
        assert_eq!(cuStreamSynchronize(s), CUDA_SUCCESS);
        assert!(read(p).iter().all(|&x| x == 14));

        // In-place update of the first kernel node through the exec.
        let mut nodes = vec![null_mut(); n];
        assert_eq!(cuGraphGetNodes(graph, nodes.as_mut_ptr(), &mut n), CUDA_SUCCESS);
        let mut t = 99;
        assert_eq!(cuGraphNodeGetType(nodes[1], &mut t), CUDA_SUCCESS);
        assert_eq!(t, 0);
        let mut kp: CUDA_KERNEL_NODE_PARAMS = std::mem::zeroed();
        assert_eq!(cuGraphKernelNodeGetParams_v2(nodes[1], &mut kp), CUDA_SUCCESS);
        assert_eq!((kp.grid_dim_x, kp.block_dim_x), (4, 256));
        assert_eq!(*(*kp.kernel_params.add(1) as *const u32), 3, "captured value");
        let (mut pp, mut mul, mut add, mut nn) = (p, 5u32, 5u32, N as u32);
        let mut args: [*mut c_void; 4] =
            [&mut pp as *mut _ as *mut c_void, &mut mul as *mut _ as *mut c_void, &mut add as *mut _ as *mut c_void, &mut nn as *mut _ as *mut c_void];
        kp.kernel_params = args.as_mut_ptr();
        assert_eq!(cuGraphExecKernelNodeSetParams_v2(exec, nodes[1], &kp), CUDA_SUCCESS);
        assert_eq!(cuGraphLaunch(exec, s), CUDA_SUCCESS);
        assert_eq!(cuStreamSynchronize(s), CUDA_SUCCESS);
        assert!(read(p).iter().all(|&x| x == 30), "(2*5+5)*2");

        // Update from a graph with another topology fails and leaves the exec alone.
        let mut g2 = null_mut();
        assert_eq!(cuGraphCreate(&mut g2, 0), CUDA_SUCCESS);
        let mut en = null_mut();
        assert_eq!(cuGraphAddEmptyNode(&mut en, g2, null(), 0), CUDA_SUCCESS);
        let mut info: CUgraphExecUpdateResultInfo = std::mem::zeroed();
        assert_eq!(cuGraphExecUpdate_v2(exec, g2, &mut info), CUDA_ERROR_GRAPH_EXEC_UPDATE_FAILURE);
        assert_eq!(info.result, 2, "topology changed");
        assert_eq!(cuGraphLaunch(exec, s), CUDA_SUCCESS);
        assert_eq!(cuStreamSynchronize(s), CUDA_SUCCESS);
        assert!(read(p).iter().all(|&x| x == 30));

        // A graph launch inside a capture becomes a child graph node.
        let s2 = stream(1);
        assert_eq!(cuStreamBeginCapture_v2(s2, 0), CUDA_SUCCESS);
        assert_eq!(cuGraphLaunch(exec, s2), CUDA_SUCCESS);
        assert_eq!(cuGraphLaunch(exec, s2), CUDA_SUCCESS);
        let mut outer = null_mut();
        assert_eq!(cuStreamEndCapture(s2, &mut outer), CUDA_SUCCESS);
        let mut n2 = 0;
        assert_eq!(cuGraphGetNodes(outer, null_mut(), &mut n2), CUDA_SUCCESS);
        assert_eq!(n2, 2);
        let mut oe = null_mut();
        assert_eq!(cuGraphInstantiateWithFlags(&mut oe, outer, 0), CUDA_SUCCESS);
        assert_eq!(cuGraphLaunch(oe, s2), CUDA_SUCCESS);
        assert_eq!(cuStreamSynchronize(s2), CUDA_SUCCESS);
        assert!(read(p).iter().all(|&x| x == 30), "two replays of memset 2, *5+5, *2");
        assert_eq!(cuGraphExecDestroy(oe), CUDA_SUCCESS);
        assert_eq!(cuGraphDestroy(outer), CUDA_SUCCESS);
        assert_eq!(cuStreamDestroy_v2(s2), CUDA_SUCCESS);

        // DOT output.
        let path = std::env::temp_dir().join(format!("cuemu-graph-{}.dot", std::process::id()));
        let cpath = CString::new(path.to_str().unwrap()).unwrap();
        assert_eq!(cuGraphDebugDotPrint(graph, cpath.as_ptr(), 0), CUDA_SUCCESS);
        let dot = std::fs::read_to_string(&path).unwrap();
        let _ = std::fs::remove_file(&path);
        assert!(dot.starts_with("digraph") && dot.contains("scale_add") && dot.matches("->").count() == 2, "{dot}");

        assert_eq!(cuGraphExecDestroy(exec), CUDA_SUCCESS);
        assert_eq!(cuGraphDestroy(graph), CUDA_SUCCESS);
        assert_eq!(cuGraphDestroy(g2), CUDA_SUCCESS);
        assert_eq!(cuGraphDestroy(g2), CUDA_ERROR_INVALID_VALUE);
        assert_eq!(cuMemFree_v2(p), CUDA_SUCCESS);
        assert_eq!(cuStreamDestroy_v2(s), CUDA_SUCCESS);
    }
}

#[test]
fn capture_rules() {
    let _g = serial();
    primary();
    let f = kernel();
    unsafe {
        let s = stream(1);
        let s2 = stream(1);
        let mut p = 0;
        assert_eq!(cuMemAlloc_v2(&mut p, N * 4), CUDA_SUCCESS);
        let mut g = null_mut();
        assert_eq!(cuStreamBeginCapture_v2(null_mut(), 0), CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED);
        assert_eq!(cuStreamEndCapture(s, &mut g), CUDA_ERROR_ILLEGAL_STATE);

        // Unsafe calls during a global capture: refused, capture invalidated.
        assert_eq!(cuStreamBeginCapture_v2(s, 0), CUDA_SUCCESS);
        let mut q = 0;
        assert_eq!(cuMemAlloc_v2(&mut q, 64), CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED);
        let mut st = 0;
        assert_eq!(cuStreamIsCapturing(s, &mut st), CUDA_SUCCESS);
        assert_eq!(st, 2);
        assert_eq!(launch(f, s, p, 1, 1), CUDA_ERROR_STREAM_CAPTURE_INVALIDATED);
        assert_eq!(cuStreamEndCapture(s, &mut g), CUDA_ERROR_STREAM_CAPTURE_INVALIDATED);
        assert!(g.is_null());

        // The same call is fine in relaxed interaction mode.
        assert_eq!(cuStreamBeginCapture_v2(s, 0), CUDA_SUCCESS);
        let mut mode: c_uint = 2;
        assert_eq!(cuThreadExchangeStreamCaptureMode(&mut mode), CUDA_SUCCESS);
        assert_eq!(mode, 0);
        assert_eq!(cuMemAlloc_v2(&mut q, 64), CUDA_SUCCESS);
        assert_eq!(cuThreadExchangeStreamCaptureMode(&mut mode), CUDA_SUCCESS);
        assert_eq!(cuMemFree_v2(q), CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED);
        assert_eq!(cuStreamEndCapture(s, &mut g), CUDA_ERROR_STREAM_CAPTURE_INVALIDATED);
        assert_eq!(cuMemFree_v2(q), CUDA_SUCCESS);

        // A synchronous copy during a capture of a non-blocking stream is allowed.
        assert_eq!(cuStreamBeginCapture_v2(s, 0), CUDA_SUCCESS);
        assert_eq!(launch(f, s, p, 1, 1), CUDA_SUCCESS);
        let _ = read(p);
        assert_eq!(cuStreamEndCapture(s, &mut g), CUDA_SUCCESS);
        assert_eq!(cuGraphDestroy(g), CUDA_SUCCESS);

        // Waiting on an event recorded outside the capture: isolation.
        let mut ev = null_mut();
        assert_eq!(cuEventCreate(&mut ev, 2), CUDA_SUCCESS);
        assert_eq!(cuEventRecord(ev, s2), CUDA_SUCCESS);
        assert_eq!(cuStreamBeginCapture_v2(s, 0), CUDA_SUCCESS);
        assert_eq!(cuStreamWaitEvent(s, ev, 0), CUDA_ERROR_STREAM_CAPTURE_ISOLATION);
        assert_eq!(cuStreamEndCapture(s, &mut g), CUDA_ERROR_STREAM_CAPTURE_INVALIDATED);

        // Fork without join.
        assert_eq!(cuStreamBeginCapture_v2(s, 2), CUDA_SUCCESS);
        assert_eq!(cuEventRecord(ev, s), CUDA_SUCCESS);
        assert_eq!(cuStreamWaitEvent(s2, ev, 0), CUDA_SUCCESS);
        assert_eq!(cuStreamIsCapturing(s2, &mut st), CUDA_SUCCESS);
        assert_eq!(st, 1);
        // Relaxed mode too: the captured event is refused and its capture invalidated
        // (measured on NVIDIA's driver 580, tests/programs/api_behaviour.cu).
        assert_eq!(cuEventQuery(ev), CUDA_ERROR_CAPTURED_EVENT);
        assert_eq!(launch(f, s2, p, 1, 1), CUDA_ERROR_STREAM_CAPTURE_INVALIDATED);
        assert_eq!(cuStreamEndCapture(s2, &mut g), CUDA_ERROR_STREAM_CAPTURE_UNMATCHED);
        assert_eq!(cuStreamEndCapture(s, &mut g), CUDA_ERROR_STREAM_CAPTURE_INVALIDATED);
        assert_eq!(cuStreamIsCapturing(s2, &mut st), CUDA_SUCCESS);
        assert_eq!(st, 0);

        assert_eq!(cuStreamBeginCapture_v2(s, 2), CUDA_SUCCESS);
        assert_eq!(cuEventRecord(ev, s), CUDA_SUCCESS);
        assert_eq!(cuStreamWaitEvent(s2, ev, 0), CUDA_SUCCESS);
        assert_eq!(launch(f, s2, p, 1, 1), CUDA_SUCCESS);
        assert_eq!(cuStreamEndCapture(s, &mut g), CUDA_ERROR_STREAM_CAPTURE_UNJOINED);

        // The legacy stream while a blocking stream captures.
        let sb = stream(0);
        assert_eq!(cuStreamBeginCapture_v2(sb, 2), CUDA_SUCCESS);
        assert_eq!(launch(f, null_mut(), p, 1, 1), CUDA_ERROR_STREAM_CAPTURE_IMPLICIT);
        assert_eq!(cuStreamEndCapture(sb, &mut g), CUDA_ERROR_STREAM_CAPTURE_INVALIDATED);

        // A thread-local capture on another thread does not restrict this one.
        let sh = s as usize;
        let (tx, rx) = std::sync::mpsc::channel();
        let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
        let ctx = primary() as usize;
        let t = std::thread::spawn(move || {
            assert_eq!(cuCtxSetCurrent(ctx as CUcontext), CUDA_SUCCESS);
            assert_eq!(cuStreamBeginCapture_v2(sh as CUstream, 1), CUDA_SUCCESS);
            tx.send(()).unwrap();
            done_rx.recv().unwrap();
            let mut g = null_mut();
            assert_eq!(cuStreamEndCapture(sh as CUstream, &mut g), CUDA_SUCCESS);
            assert_eq!(cuGraphDestroy(g), CUDA_SUCCESS);
        });
        rx.recv().unwrap();
        assert_eq!(cuMemAlloc_v2(&mut q, 64), CUDA_SUCCESS);
        assert_eq!(cuMemFree_v2(q), CUDA_SUCCESS);
        let mut g3 = null_mut();
        assert_eq!(cuStreamEndCapture(s, &mut g3), CUDA_ERROR_STREAM_CAPTURE_WRONG_THREAD);
        done_tx.send(()).unwrap();
        t.join().unwrap();

        for x in [s, s2, sb] {
            assert_eq!(cuStreamDestroy_v2(x), CUDA_SUCCESS);
        }
        assert_eq!(cuEventDestroy_v2(ev), CUDA_SUCCESS);
        assert_eq!(cuMemFree_v2(p), CUDA_SUCCESS);
    }
}

#[test]
fn explicit_graph_child_clone_and_host_nodes() {
    let _g = serial();
    primary();
    let f = kernel();
    unsafe extern "C" fn bump(p: *mut c_void) {
        *(p as *mut u32) += 1;
    }
    unsafe {
        let mut p = 0;
        assert_eq!(cuMemAlloc_v2(&mut p, N * 4), CUDA_SUCCESS);
        let mut child = null_mut();
        assert_eq!(cuGraphCreate(&mut child, 0), CUDA_SUCCESS);
        let (mut pp, mut mul, mut add, mut nn) = (p, 3u32, 4u32, N as u32);
        let mut args: [*mut c_void; 4] =
            [&mut pp as *mut _ as *mut c_void, &mut mul as *mut _ as *mut c_void, &mut add as *mut _ as *mut c_void, &mut nn as *mut _ as *mut c_void];
        let kp = CUDA_KERNEL_NODE_PARAMS {
            func: f,
            grid_dim_x: 4,
            grid_dim_y: 1,
            grid_dim_z: 1,
            block_dim_x: 256,
            block_dim_y: 1,
            block_dim_z: 1,
            shared_mem_bytes: 0,
            kernel_params: args.as_mut_ptr(),
            extra: null_mut(),
            kern: null_mut(),
            ctx: null_mut(),
        };
        let mut k = null_mut();
        assert_eq!(cuGraphAddKernelNode_v2(&mut k, child, null(), 0, &kp), CUDA_SUCCESS);
        mul = 0;
        let g = {
            let mut g = null_mut();
            assert_eq!(cuGraphCreate(&mut g, 0), CUDA_SUCCESS);
            g
        };
        let ms = CUDA_MEMSET_NODE_PARAMS { dst: p, pitch: 0, value: 2, element_size: 4, width: N, height: 1 };
        let (mut m, mut c, mut h) = (null_mut(), null_mut(), null_mut());
        assert_eq!(cuGraphAddMemsetNode(&mut m, g, null(), 0, &ms, null_mut()), CUDA_SUCCESS);
        assert_eq!(cuGraphAddChildGraphNode(&mut c, g, &m, 1, child), CUDA_SUCCESS);
        let mut hits = 0u32;
        let hp = CUDA_HOST_NODE_PARAMS { fn_: Some(bump), user_data: &mut hits as *mut u32 as *mut c_void };
        assert_eq!(cuGraphAddHostNode(&mut h, g, &c, 1, &hp), CUDA_SUCCESS);
        let mut roots = 0;
        assert_eq!(cuGraphGetRootNodes(g, null_mut(), &mut roots), CUDA_SUCCESS);
        assert_eq!(roots, 1);
        let mut deps = [null_mut(); 2];
        let mut nd = 2;
        assert_eq!(cuGraphNodeGetDependencies(h, deps.as_mut_ptr(), &mut nd), CUDA_SUCCESS);
        assert_eq!((nd, deps[0]), (1, c));
        let mut cl = null_mut();
        assert_eq!(cuGraphClone(&mut cl, g), CUDA_SUCCESS);
        let mut hc = null_mut();
        assert_eq!(cuGraphNodeFindInClone(&mut hc, h, cl), CUDA_SUCCESS);
        assert!(!hc.is_null() && hc != h);
        let (mut e1, mut e2) = (null_mut(), null_mut());
        assert_eq!(cuGraphInstantiateWithFlags(&mut e1, g, 0), CUDA_SUCCESS);
        assert_eq!(cuGraphInstantiateWithFlags(&mut e2, cl, 0), CUDA_SUCCESS);
        assert_eq!(cuGraphLaunch(e1, null_mut()), CUDA_SUCCESS);
        assert!(read(p).iter().all(|&x| x == 10));
        assert_eq!(hits, 1);
        assert_eq!(cuGraphLaunch(e2, null_mut()), CUDA_SUCCESS);
        assert!(read(p).iter().all(|&x| x == 10));
        assert_eq!(hits, 2);
        let mut cg = null_mut();
        assert_eq!(cuGraphChildGraphNodeGetGraph(c, &mut cg), CUDA_SUCCESS);
        assert!(!cg.is_null());
        // A cycle cannot be instantiated.
        assert_eq!(cuGraphAddDependencies(g, &h, &m, 1), CUDA_SUCCESS);
        let mut e3 = null_mut();
        assert_eq!(cuGraphInstantiateWithFlags(&mut e3, g, 0), CUDA_ERROR_INVALID_VALUE);
        assert_eq!(cuGraphRemoveDependencies(g, &h, &m, 1), CUDA_SUCCESS);
        for e in [e1, e2] {
            assert_eq!(cuGraphExecDestroy(e), CUDA_SUCCESS);
        }
        for x in [g, cl, child] {
            assert_eq!(cuGraphDestroy(x), CUDA_SUCCESS);
        }
        assert_eq!(cuMemFree_v2(p), CUDA_SUCCESS);
    }
}

fn rss_bytes() -> usize {
    let s = std::fs::read_to_string("/proc/self/statm").unwrap();
    s.split_whitespace().nth(1).unwrap().parse::<usize>().unwrap() * 4096
}

#[test]
fn vmm_reserve_64_gib_map_unmap() {
    let _g = serial();
    primary();
    let f = kernel();
    unsafe {
        let mut v = 0;
        assert_eq!(cuDeviceGetAttribute(&mut v, 102, 0), CUDA_SUCCESS);
        assert_eq!(v, 1);
        let prop = CUmemAllocationProp {
            type_: 1,
            requested_handle_types: 0,
            location: CUmemLocation { type_: 1, id: 0 },
            win32_handle_meta_data: null_mut(),
            compression_type: 0,
            gpu_direct_rdma_capable: 0,
            usage: 0,
            reserved: [0; 4],
        };
        let mut gran = 0;
        assert_eq!(cuMemGetAllocationGranularity(&mut gran, &prop, 1), CUDA_SUCCESS);
        assert_eq!(gran, 2 << 20);
        let before = rss_bytes();
        let mut base = 0;
        assert_eq!(cuMemAddressReserve(&mut base, 64 << 30, 0, 0, 0), CUDA_SUCCESS);
        assert!(rss_bytes() < before + (16 << 20), "a reservation costs no memory");
        assert_eq!(cuMemcpyHtoD_v2(base, [0u8; 4].as_ptr().cast(), 4), CUDA_ERROR_INVALID_VALUE, "unmapped");
        let access = CUmemAccessDesc { location: CUmemLocation { type_: 1, id: 0 }, flags: 3 };
        let mut hs = Vec::new();
        for i in 0..4u64 {
            let mut h = 0;
            assert_eq!(cuMemCreate(&mut h, gran, &prop, 0), CUDA_SUCCESS);
            // Chunks far apart inside the reservation, then two adjacent ones.
            let at = base + if i < 2 { i * (16 << 30) } else { (40 << 30) + (i - 2) * gran as u64 };
            assert_eq!(cuMemMap(at, gran, 0, h, 0), CUDA_SUCCESS);
            assert_eq!(cuMemSetAccess(at, gran, &access, 1), CUDA_SUCCESS);
            assert_eq!(cuMemRelease(h), CUDA_SUCCESS);
            hs.push(at);
        }
        // Adjacent mappings form one buffer for copies and kernels.
        let big = hs[2];
        let n = 2 * gran / 4;
        assert_eq!(cuMemsetD32_v2(big, 1, n), CUDA_SUCCESS);
        let (mut pp, mut mul, mut add, mut nn) = (big, 3u32, 1u32, n as u32);
        let mut args: [*mut c_void; 4] =
            [&mut pp as *mut _ as *mut c_void, &mut mul as *mut _ as *mut c_void, &mut add as *mut _ as *mut c_void, &mut nn as *mut _ as *mut c_void];
        assert_eq!(cuLaunchKernel(f, (n / 256) as c_uint, 1, 1, 256, 1, 1, 0, null_mut(), args.as_mut_ptr(), null_mut()), CUDA_SUCCESS);
        let mut host = vec![0u32; n];
        assert_eq!(cuMemcpyDtoH_v2(host.as_mut_ptr().cast(), big, n * 4), CUDA_SUCCESS);
        assert!(host.iter().all(|&x| x == 4));
        assert_eq!(cuMemFree_v2(big), CUDA_ERROR_INVALID_VALUE, "cuMemFree refuses mapped memory");
        assert_eq!(cuMemAddressFree(base, 64 << 30), CUDA_ERROR_INVALID_VALUE, "still mapped");
        let mut flags = 0u64;
        assert_eq!(cuMemGetAccess(&mut flags, &access.location, hs[1] + 100), CUDA_SUCCESS);
        assert_eq!(flags, 3);
        assert_eq!(cuMemUnmap(big + 4096, gran), CUDA_ERROR_INVALID_VALUE, "partial unmap");
        assert_eq!(cuMemUnmap(big, 2 * gran), CUDA_SUCCESS);
        assert_eq!(cuMemUnmap(hs[0], gran), CUDA_SUCCESS);
        assert_eq!(cuMemUnmap(hs[1], gran), CUDA_SUCCESS);
        assert_eq!(cuMemcpyHtoD_v2(hs[1], [0u8; 4].as_ptr().cast(), 4), CUDA_ERROR_INVALID_VALUE, "unmapped again");
        assert_eq!(cuMemAddressFree(base, 64 << 30), CUDA_SUCCESS);
        let (res, _, phys, maps) = cuda::driver::vmm::stats();
        assert_eq!((res, phys, maps), (0, 0, 0), "everything released");
    }
}

/// cuStreamBeginCaptureToGraph: captured work joins the caller's graph after the given
/// dependencies; a capture that fails leaves the caller's graph alive (it is not the
/// capture's to destroy).
#[test]
fn capture_into_existing_graph() {
    let _g = serial();
    primary();
    let f = kernel();
    unsafe {
        let s = stream(1);
        let mut p = 0;
        assert_eq!(cuMemAlloc_v2(&mut p, N * 4), CUDA_SUCCESS);
        assert_eq!(cuMemsetD32_v2(p, 1, N), CUDA_SUCCESS);
        let mut g = null_mut();
        assert_eq!(cuGraphCreate(&mut g, 0), CUDA_SUCCESS);
        let mut root = null_mut();
        assert_eq!(cuGraphAddEmptyNode(&mut root, g, null(), 0), CUDA_SUCCESS);
        let count = |g: CUgraph| {
            let mut n = 0usize;
            assert_eq!(cuGraphGetNodes(g, null_mut(), &mut n), CUDA_SUCCESS);
            n
        };

        // Success: the kernel lands in g, after `root`.
        assert_eq!(cuStreamBeginCaptureToGraph(s, g, &root, null(), 1, 0), CUDA_SUCCESS);
        assert_eq!(launch(f, s, p, 2, 1), CUDA_SUCCESS);
        let mut out = null_mut();
        assert_eq!(cuStreamEndCapture(s, &mut out), CUDA_SUCCESS);
        assert_eq!(out, g);
        assert_eq!(count(g), 2);
        let mut exec = null_mut();
        assert_eq!(cuGraphInstantiateWithFlags(&mut exec, g, 0), CUDA_SUCCESS);
        assert_eq!(cuGraphLaunch(exec, s), CUDA_SUCCESS);
        assert_eq!(cuStreamSynchronize(s), CUDA_SUCCESS);
        assert!(read(p).iter().all(|&v| v == 3), "1*2+1 after one launch");
        assert_eq!(cuGraphExecDestroy(exec), CUDA_SUCCESS);

        // Failure: an unsafe call invalidates the capture; g survives and stays usable.
        assert_eq!(cuStreamBeginCaptureToGraph(s, g, null(), null(), 0, 0), CUDA_SUCCESS);
        let mut q = 0;
        assert_eq!(cuMemAlloc_v2(&mut q, 64), CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED);
        assert_eq!(cuStreamEndCapture(s, &mut out), CUDA_ERROR_STREAM_CAPTURE_INVALIDATED);
        assert!(out.is_null());
        assert!(count(g) >= 2, "the caller's graph must outlive a failed capture into it");
        assert_eq!(cuGraphDestroy(g), CUDA_SUCCESS);
        assert_eq!(cuMemFree_v2(p), CUDA_SUCCESS);
        assert_eq!(cuStreamDestroy_v2(s), CUDA_SUCCESS);
    }
}

/// Entry points newer than the H100's CUDA 13.0 driver (so not in
/// tests/programs/driver_newer.cu, whose golden that driver recorded): cuGraphAddNode_v3,
/// cuGraphNodeSetParams_v2 and cuGraphNodeGetParams (13.2/13.4), cuFuncGetParamCount and
/// cuKernelGetParamCount (13.2). What they answer follows cuda.h 13.5; the forms they share
/// with 13.0 entry points are checked against the H100 by driver_newer.
#[test]
fn cuda_13_2_generic_node_params_and_param_counts() {
    use cuda::driver::graphparams::CUgraphNodeParams;
    let _g = serial();
    let ctx = primary();
    let f = kernel();
    let bogus_ctx = 0x1234usize as CUcontext;
    unsafe {
        // parameter counts: scale_add(ptr, mul, add, n)
        let mut n = 0usize;
        assert_eq!(cuFuncGetParamCount(f, &mut n), CUDA_SUCCESS);
        assert_eq!(n, 4);
        assert_eq!(cuFuncGetParamCount(f, null_mut()), CUDA_ERROR_INVALID_VALUE);
        assert_eq!(cuFuncGetParamCount(0x1234usize as CUfunction, &mut n), CUDA_ERROR_INVALID_HANDLE);
        let ptx = CString::new(PTX).unwrap();
        let mut lib = null_mut();
        assert_eq!(cuLibraryLoadData(&mut lib, ptx.as_ptr().cast(), null_mut(), null_mut(), 0, null_mut(), null_mut(), 0), CUDA_SUCCESS);
        let mut k = null_mut();
        assert_eq!(cuLibraryGetKernel(&mut k, lib, c"scale_add".as_ptr()), CUDA_SUCCESS);
        n = 0;
        assert_eq!(cuKernelGetParamCount(k, &mut n), CUDA_SUCCESS);
        assert_eq!(n, 4);
        assert_eq!(cuKernelGetParamCount(k, null_mut()), CUDA_ERROR_INVALID_VALUE);
        assert_eq!(cuKernelGetParamCount(f as CUkernel, &mut n), CUDA_ERROR_INVALID_HANDLE);

        // a kernel node through cuGraphAddNode_v3 with the current context
        let mut p = 0;
        assert_eq!(cuMemAlloc_v2(&mut p, N * 4), CUDA_SUCCESS);
        assert_eq!(cuMemsetD32_v2(p, 1, N), CUDA_SUCCESS);
        let (mut pp, mut mul, mut add, mut nn) = (p, 3u32, 4u32, N as u32);
        let mut args: [*mut c_void; 4] =
            [&mut pp as *mut _ as *mut c_void, &mut mul as *mut _ as *mut c_void, &mut add as *mut _ as *mut c_void, &mut nn as *mut _ as *mut c_void];
        let kernel_params = |ctx: CUcontext, args: *mut *mut c_void| {
            let mut q = CUgraphNodeParams { type_: 0, reserved0: [0; 3], data: [0; 29], reserved2: 0 };
            let kp = CUDA_KERNEL_NODE_PARAMS {
                func: f,
                grid_dim_x: 4,
                grid_dim_y: 1,
                grid_dim_z: 1,
                block_dim_x: 256,
                block_dim_y: 1,
                block_dim_z: 1,
                shared_mem_bytes: 0,
                kernel_params: args,
                extra: null_mut(),
                kern: null_mut(),
                ctx,
            };
            std::ptr::write_unaligned(q.data.as_mut_ptr() as *mut CUDA_KERNEL_NODE_PARAMS, kp);
            q
        };
        let mut g = null_mut();
        assert_eq!(cuGraphCreate(&mut g, 0), CUDA_SUCCESS);
        let mut node = null_mut();
        let mut q = kernel_params(ctx, args.as_mut_ptr());
        assert_eq!(cuGraphAddNode_v3(&mut node, g, null(), null(), 0, &mut q), CUDA_SUCCESS);
        // _v3 checks a given context; _v2 ignores it when a function is given (cuda.h)
        let mut other = null_mut();
        let mut q = kernel_params(bogus_ctx, args.as_mut_ptr());
        assert_eq!(cuGraphAddNode_v3(&mut other, g, null(), null(), 0, &mut q), CUDA_ERROR_INVALID_CONTEXT);
        assert_eq!(cuGraphAddNode_v2(&mut other, g, null(), null(), 0, &mut q), CUDA_SUCCESS);
        assert_eq!(cuGraphDestroyNode(other), CUDA_SUCCESS);

        // cuGraphNodeGetParams reads the node back (arguments as the node holds them)
        let mut out = CUgraphNodeParams { type_: 99, reserved0: [0; 3], data: [0; 29], reserved2: 0 };
        assert_eq!(cuGraphNodeGetParams(node, &mut out), CUDA_SUCCESS);
        assert_eq!(out.type_, 0);
        let kp = std::ptr::read_unaligned(out.data.as_ptr() as *const CUDA_KERNEL_NODE_PARAMS);
        assert_eq!((kp.func, kp.grid_dim_x, kp.block_dim_x), (f, 4, 256));
        assert_eq!(*(*kp.kernel_params.add(1) as *const u32), 3);
        assert_eq!(cuGraphNodeGetParams(node, null_mut()), CUDA_ERROR_INVALID_VALUE);
        assert_eq!(cuGraphNodeGetParams(null_mut(), &mut out), CUDA_ERROR_INVALID_VALUE);

        // cuGraphNodeSetParams_v2: a bad context is refused, a good change lands
        *(args[1] as *mut u32) = 5;
        let mut q = kernel_params(bogus_ctx, args.as_mut_ptr());
        assert_eq!(cuGraphNodeSetParams_v2(node, &mut q), CUDA_ERROR_INVALID_CONTEXT);
        let mut q = kernel_params(null_mut(), args.as_mut_ptr());
        assert_eq!(cuGraphNodeSetParams_v2(node, &mut q), CUDA_SUCCESS);
        let mut e = null_mut();
        assert_eq!(cuGraphInstantiateWithFlags(&mut e, g, 0), CUDA_SUCCESS);
        assert_eq!(cuGraphLaunch(e, null_mut()), CUDA_SUCCESS);
        assert_eq!(cuStreamSynchronize(null_mut()), CUDA_SUCCESS);
        assert!(read(p).iter().all(|&v| v == 1 * 5 + 4));

        // a child graph reads back with the driver-owned graph and the INVALID ownership
        let mut child = null_mut();
        assert_eq!(cuGraphCreate(&mut child, 0), CUDA_SUCCESS);
        let mut cn = null_mut();
        assert_eq!(cuGraphAddChildGraphNode(&mut cn, g, null(), 0, child), CUDA_SUCCESS);
        assert_eq!(cuGraphNodeGetParams(cn, &mut out), CUDA_SUCCESS);
        assert_eq!(out.type_, 4);
        let mut owned = null_mut();
        assert_eq!(cuGraphChildGraphNodeGetGraph(cn, &mut owned), CUDA_SUCCESS);
        assert_eq!(out.data[0] as usize, owned as usize);
        assert_eq!(out.data[1] as u32 as i32, -1);

        assert_eq!(cuGraphExecDestroy(e), CUDA_SUCCESS);
        assert_eq!(cuGraphDestroy(g), CUDA_SUCCESS);
        assert_eq!(cuGraphDestroy(child), CUDA_SUCCESS);
        assert_eq!(cuLibraryUnload(lib), CUDA_SUCCESS);
        assert_eq!(cuMemFree_v2(p), CUDA_SUCCESS);
    }
}

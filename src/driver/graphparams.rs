//! The generic graph node API: `cuGraphAddNode` (12.2 ABI without edge data, 12.3 `_v2` with
//! `CUgraphEdgeData`, 13.4 `_v3`), `cuGraphNodeSetParams` (+ `_v2`), `cuGraphExecNodeSetParams`
//! and `cuGraphNodeGetParams` (13.2). `CUgraphNodeParams` is a tagged union; each member is
//! translated to the typed node functions of `graph.rs`.
//!
//! What NVIDIA's driver 580 answers (tests/programs/driver_newer.cu, recorded on an H100):
//! nonzero `reserved0`/`reserved2` or a nonzero byte past the used member of the union is
//! CUDA_ERROR_INVALID_VALUE; so are an unknown type, a kernel with neither function nor kernel
//! (CUDA_ERROR_INVALID_HANDLE), host `syncMode` other than 0/1, NULL events, edge data with a
//! `to_port`, reserved bytes, a port above 2, or a programmatic type from a node that is not a
//! kernel or from the default port.
//! `copyCtx`/`ctx` may be NULL; any child ownership other than MOVE clones; external-semaphore
//! nodes with no semaphores are accepted; a conditional node without a handle, and a memcpy-batch
//! node without copies, are CUDA_ERROR_INVALID_VALUE. Memory nodes cannot change parameters
//! (CUDA_ERROR_NOT_SUPPORTED).
//!
//! `_v2` vs `_v3` (cuda.h 13.5): the `_v3` forms add one check, "if both the kernel node's
//! CUfunction and ctx are non-NULL, the underlying device context of ctx must match the device
//! context that the CUfunction was loaded into; otherwise CUDA_ERROR_INVALID_CONTEXT"; the `_v2`
//! forms ignore `ctx` when a function is given. cuemu has one device, so `_v3` checks that `ctx`
//! is a live context.
//!
//! Not supported here (CUDA_ERROR_NOT_SUPPORTED): conditional nodes with a handle (cuemu
//! creates none: `cuGraphConditionalHandleCreate` is a stub), external-semaphore nodes with
//! semaphores (none can be imported), memcpy-batch and fabric-copy nodes. Edge data other than
//! the default is checked, then kept as a plain dependency (a programmatic edge between kernels
//! waits for the whole upstream kernel, which a programmatic dependency allows); the edge-data
//! getters answer zeroed data.

use super::graph::{self, Host, NodeKind, NODE_BATCH_MEM_OP, NODE_EMPTY, NODE_EVENT_RECORD, NODE_GRAPH, NODE_HOST, NODE_KERNEL};
use super::graph::{NODE_MEMCPY, NODE_MEMSET, NODE_MEM_ALLOC, NODE_MEM_FREE, NODE_WAIT_EVENT};
use super::graphmem::CUDA_MEM_ALLOC_NODE_PARAMS;
use super::memops::{CUstreamBatchMemOpParams, CUDA_BATCH_MEM_OP_NODE_PARAMS};
use super::{context, event, memory};
use crate::api::*;
use std::ffi::{c_int, c_uint, c_void};
use std::mem::size_of;

/// `CUgraphNodeParams`: type, 3 reserved ints, a 232-byte union, a reserved long long.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct CUgraphNodeParams {
    pub type_: c_int,
    pub reserved0: [c_int; 3],
    pub data: [u64; 29],
    pub reserved2: i64,
}
const _: () = assert!(size_of::<CUgraphNodeParams>() == 256);

const UNION_BYTES: usize = 232;

/// `CUDA_MEMCPY_NODE_PARAMS`.
#[repr(C)]
#[derive(Clone, Copy)]
struct MemcpyParams {
    flags: c_int,
    reserved: c_int,
    copy_ctx: CUcontext,
    copy: CUDA_MEMCPY3D,
}

/// `CUDA_MEMSET_NODE_PARAMS_v2`.
#[repr(C)]
#[derive(Clone, Copy)]
struct MemsetParams {
    p: CUDA_MEMSET_NODE_PARAMS,
    ctx: CUcontext,
}

/// `CUDA_HOST_NODE_PARAMS_v2` as CUDA 13.1+ headers have it (13.0's stops after `userData`).
#[repr(C)]
#[derive(Clone, Copy)]
struct HostParams {
    f: CUhostFn,
    user: *mut c_void,
    sync_mode: c_uint,
    ctx: CUcontext,
}

/// `CUDA_CHILD_GRAPH_NODE_PARAMS`.
#[repr(C)]
#[derive(Clone, Copy)]
struct ChildParams {
    graph: CUgraph,
    ownership: c_int,
}
/// CU_GRAPH_CHILD_GRAPH_OWNERSHIP_MOVE / _INVALID.
const OWNERSHIP_MOVE: c_int = 1;
const OWNERSHIP_INVALID: c_int = -1;

/// `CUDA_EXT_SEM_SIGNAL_NODE_PARAMS_v2` / `_WAIT_`: array, params, count.
#[repr(C)]
#[derive(Clone, Copy)]
struct ExtSemParams {
    sems: *mut c_void,
    params: *const c_void,
    num: c_uint,
}

const NODE_EXT_SEMAS_SIGNAL: c_int = 8;
const NODE_EXT_SEMAS_WAIT: c_int = 9;
const NODE_CONDITIONAL: c_int = 13;
const NODE_MEMCPY_BATCH: c_int = 14;
const NODE_FABRIC_CPY_BATCH: c_int = 18;

/// Bytes of the union the member of node type `t` uses (the rest must be zero); None for a
/// type there is no such member for.
fn member_size(t: c_int) -> Option<usize> {
    Some(match t as c_uint {
        NODE_KERNEL => size_of::<CUDA_KERNEL_NODE_PARAMS>(),
        NODE_MEMCPY => size_of::<MemcpyParams>(),
        NODE_MEMSET => size_of::<MemsetParams>(),
        NODE_HOST => size_of::<HostParams>(),
        NODE_GRAPH => size_of::<ChildParams>(),
        NODE_EMPTY => 0,
        NODE_WAIT_EVENT => 8,
        NODE_EVENT_RECORD => 16,
        8 | 9 => size_of::<ExtSemParams>(),
        NODE_MEM_ALLOC => size_of::<CUDA_MEM_ALLOC_NODE_PARAMS>(),
        NODE_MEM_FREE => 8,
        NODE_BATCH_MEM_OP => size_of::<CUDA_BATCH_MEM_OP_NODE_PARAMS>(),
        // CUDA_CONDITIONAL_NODE_PARAMS: handle, type, size, phGraph_out, ctx.
        13 => 32,
        // The batch-copy members are not decoded (not supported): the whole union.
        14 | 18 => UNION_BYTES,
        _ => return None,
    })
}

fn bytes(p: &CUgraphNodeParams) -> &[u8] {
    // SAFETY: plain data, 232 bytes.
    unsafe { std::slice::from_raw_parts(p.data.as_ptr() as *const u8, UNION_BYTES) }
}

/// The union's member as `T` (T is at most 232 bytes of plain data).
fn member<T: Copy>(p: &CUgraphNodeParams) -> T {
    debug_assert!(size_of::<T>() <= UNION_BYTES);
    // SAFETY: T is a repr(C) struct of integers and pointers; any bits are a value.
    unsafe { std::ptr::read_unaligned(p.data.as_ptr() as *const T) }
}

/// Reads `*p` and checks what every use checks: reserved fields and unused union bytes zero,
/// a known type.
unsafe fn read(p: *const CUgraphNodeParams) -> CuResult<CUgraphNodeParams> {
    if p.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let q = *p;
    if q.reserved0 != [0; 3] || q.reserved2 != 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let used = member_size(q.type_).ok_or(CUDA_ERROR_INVALID_VALUE)?;
    if bytes(&q)[used..].iter().any(|&b| b != 0) {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    Ok(q)
}

/// Which form of the entry point: `_v3`/`_v2` of 13.4 check a kernel's `ctx`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    Plain,
    CheckCtx,
}

/// The kernel node a `CUDA_KERNEL_NODE_PARAMS_v3` describes.
unsafe fn kernel_kind(p: &CUgraphNodeParams, form: Form) -> CuResult<NodeKind> {
    let k: CUDA_KERNEL_NODE_PARAMS = member(p);
    if k.func.is_null() && k.kern.is_null() {
        // Measured: no function at all is an invalid handle through this API.
        return Err(CUDA_ERROR_INVALID_HANDLE);
    }
    if form == Form::CheckCtx && !k.func.is_null() && !k.ctx.is_null() {
        context::lookup(k.ctx).map_err(|_| CUDA_ERROR_INVALID_CONTEXT)?;
    }
    Ok(NodeKind::Kernel(graph::kernel_node(&k, true)?))
}

unsafe fn memcpy_kind(p: &CUgraphNodeParams) -> CuResult<NodeKind> {
    let m: MemcpyParams = member(p);
    if m.flags != 0 || m.reserved != 0 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    memory::validate_copy_3d(&m.copy)?;
    Ok(NodeKind::Memcpy(m.copy))
}

fn memset_kind(p: &CUgraphNodeParams) -> CuResult<NodeKind> {
    let m: MemsetParams = member(p);
    Ok(NodeKind::Memset(graph::memset_node(&m.p)?))
}

fn host_kind(p: &CUgraphNodeParams) -> CuResult<NodeKind> {
    let h: HostParams = member(p);
    // CUhostTaskSyncMode: BLOCKING 0, SPINWAIT 1 (host nodes run on the stream's worker
    // either way).
    if h.sync_mode > 1 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let f = h.f.ok_or(CUDA_ERROR_INVALID_VALUE)?;
    Ok(NodeKind::Host(Host { f, user: h.user as usize }))
}

fn event_of(p: &CUgraphNodeParams) -> CuResult<usize> {
    let ev: CUevent = member(p);
    if ev.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    event::lookup(ev)?;
    Ok(ev as usize)
}

fn ext_sem_kind(p: &CUgraphNodeParams, wait: bool) -> CuResult<NodeKind> {
    let e: ExtSemParams = member(p);
    if e.num != 0 {
        tracing::warn!("external-semaphore graph nodes with semaphores are not supported by cuemu");
        return Err(CUDA_ERROR_NOT_SUPPORTED);
    }
    Ok(NodeKind::ExtSemNone { wait })
}

unsafe fn batch_kind(p: &CUgraphNodeParams) -> CuResult<NodeKind> {
    let b: CUDA_BATCH_MEM_OP_NODE_PARAMS = member(p);
    Ok(NodeKind::MemOps(super::memops::node_batch(&b)?))
}

/// Types cuemu's graphs do not have.
fn unsupported(p: &CUgraphNodeParams) -> CuResult<NodeKind> {
    match p.type_ {
        // No conditional handle can exist (cuGraphConditionalHandleCreate is not
        // implemented); without one, NVIDIA answers CUDA_ERROR_INVALID_VALUE (measured).
        NODE_CONDITIONAL => {
            let handle: u64 = member(p);
            if handle == 0 {
                return Err(CUDA_ERROR_INVALID_VALUE);
            }
        }
        // A batch without copies: CUDA_ERROR_INVALID_VALUE (measured for memcpy batches).
        NODE_MEMCPY_BATCH | NODE_FABRIC_CPY_BATCH if bytes(p).iter().all(|&b| b == 0) => return Err(CUDA_ERROR_INVALID_VALUE),
        _ => {}
    }
    tracing::warn!("graph node type {} is not supported by cuemu", p.type_);
    Err(CUDA_ERROR_NOT_SUPPORTED)
}

/// CUgraphDependencyType_enum: DEFAULT 0, PROGRAMMATIC 1.
const DEP_PROGRAMMATIC: u8 = 1;

/// Checks edge data for dependencies `deps` (all nodes of `g`, checked by the caller).
unsafe fn check_edges(g: CUgraph, deps: &[usize], ed: *const CUgraphEdgeData, to_kernel: bool) -> CuResult {
    if ed.is_null() {
        return Ok(());
    }
    for (i, dep) in deps.iter().enumerate() {
        let e = *ed.add(i);
        if e.to_port != 0 || e.reserved != [0; 5] || e.type_ > DEP_PROGRAMMATIC {
            return Err(CUDA_ERROR_INVALID_VALUE);
        }
        // Ports only leave kernel nodes (CU_GRAPH_KERNEL_NODE_PORT_*: DEFAULT 0,
        // PROGRAMMATIC 1, LAUNCH_ORDER 2); a programmatic edge joins two kernels and leaves
        // through port 1 or 2, and port 1 takes only programmatic edges (cuda.h; measured: a
        // programmatic edge from port 0 between kernels is CUDA_ERROR_INVALID_VALUE).
        if e.from_port != 0 || e.type_ == DEP_PROGRAMMATIC {
            let from_kernel = graph::with_node(*dep as CUgraphNode, |x| Ok(matches!(x.kind, NodeKind::Kernel(_)))).unwrap_or(false);
            let programmatic = e.type_ == DEP_PROGRAMMATIC;
            let port_ok = match e.from_port {
                0 => !programmatic,
                1 => programmatic,
                2 => true,
                _ => false,
            };
            if !from_kernel || programmatic && !to_kernel || !port_ok {
                return Err(CUDA_ERROR_INVALID_VALUE);
            }
        }
    }
    let _ = g;
    Ok(())
}

unsafe fn add_node(ph: *mut CUgraphNode, g: CUgraph, deps: *const CUgraphNode, ed: *const CUgraphEdgeData, n: usize, p: *mut CUgraphNodeParams, form: Form) -> CuResult {
    if ph.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let q = read(p)?;
    let gr = graph::graph(g)?;
    let deps_v = graph::deps_slice(deps, n)?;
    check_edges(g, &deps_v, ed, q.type_ == NODE_KERNEL as c_int)?;
    match q.type_ as c_uint {
        NODE_MEM_ALLOC => {
            // The typed call fills the caller's `dptr` (an out field of the union).
            let a = p.cast::<u8>().add(16) as *mut CUDA_MEM_ALLOC_NODE_PARAMS;
            graph::add_mem_alloc_node(ph, g, deps, n, a)
        }
        NODE_MEM_FREE => graph::add_mem_free_node(ph, g, deps, n, member::<CUdeviceptr>(&q)),
        NODE_GRAPH => {
            let c: ChildParams = member(&q);
            if c.graph.is_null() {
                return Err(CUDA_ERROR_INVALID_VALUE);
            }
            if c.ownership != OWNERSHIP_MOVE {
                return graph::add_child_graph_node(ph, g, deps, n, c.graph);
            }
            // MOVE: the node takes the graph itself (the handle stays valid and is what
            // cuGraphChildGraphNodeGetGraph answers, measured). It must not be the parent, an
            // ancestor of it, or already embedded somewhere.
            graph::graph(c.graph)?;
            if c.graph == g || graph::contains_graph(c.graph as usize, g as usize) || graph::is_embedded(c.graph as usize) {
                return Err(CUDA_ERROR_INVALID_VALUE);
            }
            drop(gr);
            graph::out_node(ph, graph::add_node(g as usize, NodeKind::Child(c.graph as usize), &deps_v))
        }
        _ => {
            drop(gr);
            let kind = kind_of(&q, form)?;
            graph::out_node(ph, graph::add_node(g as usize, kind, &deps_v))
        }
    }
}

/// The node kind of parameters for every type but memory and child-graph nodes.
unsafe fn kind_of(q: &CUgraphNodeParams, form: Form) -> CuResult<NodeKind> {
    match q.type_ {
        t if t == NODE_KERNEL as c_int => kernel_kind(q, form),
        t if t == NODE_MEMCPY as c_int => memcpy_kind(q),
        t if t == NODE_MEMSET as c_int => memset_kind(q),
        t if t == NODE_HOST as c_int => host_kind(q),
        t if t == NODE_EMPTY as c_int => Ok(NodeKind::Empty),
        t if t == NODE_WAIT_EVENT as c_int => Ok(NodeKind::EventWait(event_of(q)?)),
        t if t == NODE_EVENT_RECORD as c_int => Ok(NodeKind::EventRecord(event_of(q)?)),
        NODE_EXT_SEMAS_SIGNAL => ext_sem_kind(q, false),
        NODE_EXT_SEMAS_WAIT => ext_sem_kind(q, true),
        t if t == NODE_BATCH_MEM_OP as c_int => batch_kind(q),
        _ => unsupported(q),
    }
}

pub unsafe fn add_node_v1(ph: *mut CUgraphNode, g: CUgraph, deps: *const CUgraphNode, n: usize, p: *mut CUgraphNodeParams) -> CuResult {
    add_node(ph, g, deps, std::ptr::null(), n, p, Form::Plain)
}

pub unsafe fn add_node_v2(ph: *mut CUgraphNode, g: CUgraph, deps: *const CUgraphNode, ed: *const CUgraphEdgeData, n: usize, p: *mut CUgraphNodeParams) -> CuResult {
    add_node(ph, g, deps, ed, n, p, Form::Plain)
}

pub unsafe fn add_node_v3(ph: *mut CUgraphNode, g: CUgraph, deps: *const CUgraphNode, ed: *const CUgraphEdgeData, n: usize, p: *mut CUgraphNodeParams) -> CuResult {
    add_node(ph, g, deps, ed, n, p, Form::CheckCtx)
}

fn node_type(n: CUgraphNode) -> CuResult<c_uint> {
    graph::with_node(n, |x| Ok(x.kind.type_code()))
}

unsafe fn set_params(n: CUgraphNode, p: *mut CUgraphNodeParams, form: Form) -> CuResult {
    let q = read(p)?;
    let t = node_type(n)?;
    if q.type_ != t as c_int {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    match t {
        // "Modifying parameters is not supported for node types CU_GRAPH_NODE_TYPE_MEM_ALLOC
        // and CU_GRAPH_NODE_TYPE_MEM_FREE" (measured: CUDA_ERROR_NOT_SUPPORTED).
        NODE_MEM_ALLOC | NODE_MEM_FREE => Err(CUDA_ERROR_NOT_SUPPORTED),
        NODE_EMPTY => Ok(()),
        NODE_GRAPH => {
            // The node's graph becomes a copy of the given one (the old copy is destroyed).
            let c: ChildParams = member(&q);
            let src = graph::graph(c.graph)?;
            graph::refuse_if_memory_nodes(&src)?;
            let (_, parent) = graph::node_graph(n)?;
            if std::ptr::eq(&*src, &*parent) {
                return Err(CUDA_ERROR_INVALID_VALUE);
            }
            let copy = graph::clone_graph(c.graph as usize);
            let old = graph::with_node(n, |x| Ok(std::mem::replace(&mut x.kind, NodeKind::Child(copy))))?;
            if let NodeKind::Child(o) = old {
                graph::destroy_graph(o);
            }
            Ok(())
        }
        _ => graph::set_kind(n, t, kind_of(&q, form)?),
    }
}

pub unsafe fn node_set_params(n: CUgraphNode, p: *mut CUgraphNodeParams) -> CuResult {
    set_params(n, p, Form::Plain)
}

pub unsafe fn node_set_params_v2(n: CUgraphNode, p: *mut CUgraphNodeParams) -> CuResult {
    set_params(n, p, Form::CheckCtx)
}

pub unsafe fn exec_node_set_params(e: CUgraphExec, n: CUgraphNode, p: *mut CUgraphNodeParams) -> CuResult {
    graph::exec(e)?;
    let q = read(p)?;
    let t = node_type(n)?;
    if q.type_ != t as c_int {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    match t {
        NODE_MEM_ALLOC | NODE_MEM_FREE => Err(CUDA_ERROR_NOT_SUPPORTED),
        // Nothing to change: CUDA_SUCCESS, even for an empty node added to the graph after
        // the instantiation (measured).
        NODE_EMPTY => Ok(()),
        NODE_GRAPH => graph::exec_child_graph_node_set_params(e, n, member::<ChildParams>(&q).graph),
        _ => graph::exec_set(e, n, t, kind_of(&q, Form::Plain)?),
    }
}

/// cuGraphNodeGetParams (13.2). Pointers in the answer (kernel arguments, memory-op arrays,
/// access descriptors) belong to the node.
pub unsafe fn node_get_params(n: CUgraphNode, p: *mut CUgraphNodeParams) -> CuResult {
    if p.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let t = node_type(n)?;
    let mut out = CUgraphNodeParams { type_: t as c_int, reserved0: [0; 3], data: [0; 29], reserved2: 0 };
    let dst = out.data.as_mut_ptr() as *mut u8;
    unsafe fn put<T>(dst: *mut u8, v: T) {
        std::ptr::write_unaligned(dst as *mut T, v);
    }
    match t {
        NODE_KERNEL => {
            let mut k: CUDA_KERNEL_NODE_PARAMS = std::mem::zeroed();
            graph::kernel_node_get_params(n, &mut k)?;
            put(dst, k);
        }
        NODE_MEMCPY => {
            let mut c: CUDA_MEMCPY3D = std::mem::zeroed();
            graph::memcpy_node_get_params(n, &mut c)?;
            put(dst, MemcpyParams { flags: 0, reserved: 0, copy_ctx: std::ptr::null_mut(), copy: c });
        }
        NODE_MEMSET => {
            let mut m: CUDA_MEMSET_NODE_PARAMS = std::mem::zeroed();
            graph::memset_node_get_params(n, &mut m)?;
            put(dst, MemsetParams { p: m, ctx: std::ptr::null_mut() });
        }
        NODE_HOST => {
            let mut h: CUDA_HOST_NODE_PARAMS = std::mem::zeroed();
            graph::host_node_get_params(n, &mut h)?;
            put(dst, HostParams { f: h.fn_, user: h.user_data, sync_mode: 0, ctx: std::ptr::null_mut() });
        }
        NODE_GRAPH => {
            let mut c: CUgraph = std::ptr::null_mut();
            graph::child_graph_node_get_graph(n, &mut c)?;
            // "Invalid ownership flag. Set when params are queried to prevent accidentally
            // reusing the driver-owned graph object" (cuda.h).
            put(dst, ChildParams { graph: c, ownership: OWNERSHIP_INVALID });
        }
        NODE_EMPTY => {}
        NODE_WAIT_EVENT | NODE_EVENT_RECORD => {
            let mut ev: CUevent = std::ptr::null_mut();
            if t == NODE_WAIT_EVENT {
                graph::event_wait_node_get_event(n, &mut ev)?;
            } else {
                graph::event_record_node_get_event(n, &mut ev)?;
            }
            put(dst, ev);
        }
        8 | 9 => {}
        NODE_MEM_ALLOC => {
            let mut a: CUDA_MEM_ALLOC_NODE_PARAMS = std::mem::zeroed();
            graph::mem_alloc_node_get_params(n, &mut a)?;
            put(dst, a);
        }
        NODE_MEM_FREE => {
            let mut d: CUdeviceptr = 0;
            graph::mem_free_node_get_params(n, &mut d)?;
            put(dst, d);
        }
        NODE_BATCH_MEM_OP => {
            let mut b = CUDA_BATCH_MEM_OP_NODE_PARAMS { ctx: std::ptr::null_mut(), count: 0, param_array: std::ptr::null_mut::<CUstreamBatchMemOpParams>(), flags: 0 };
            graph::batch_mem_op_node_get_params(n, &mut b)?;
            put(dst, b);
        }
        _ => return Err(CUDA_ERROR_INVALID_VALUE),
    }
    *p = out;
    Ok(())
}

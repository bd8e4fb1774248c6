//! What JIT-compiled kernels see at run time: the per-warp context block, and the helper
//! functions they call for what is not worth open-coding (barriers, atomics, traps, math).
//!
//! Helpers are plain `extern "C"` functions whose addresses are handed to the JIT explicitly
//! (never looked up by name in the process: inside a `dlopen`ed driver, libm may not even be in
//! the global scope — see the toolchain notes).

use std::cell::Cell;

use super::matrix::{f16_to_f64, f32_to_f16};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

pub const WARP: usize = 32;

/// The per-warp context the compiled code reads. Field offsets are part of the ABI with the
/// code generator (`compile::ctx_field`), hence `repr(C)` and the asserts below.
#[repr(C)]
pub struct WarpCtx {
    /// Packed kernel parameter buffer (kernel `.param` space, uniform across the grid).
    pub params: *const u8,
    /// Base of this block's shared memory window.
    pub shared: *mut u8,
    /// Base of this warp's local-memory stack; frames are carved from here by `local_sp`.
    pub local: *mut u8,
    /// Next free byte of the local-memory stack (bumped by function prologues).
    pub local_sp: u64,
    /// The block this warp belongs to (barriers).
    pub block: *const BlockCtx,
    /// Lanes that exist (the last warp of a block may be partial).
    pub init_mask: u32,
    pub warp_id: u32,
    pub ntid: [u32; 3],
    pub ctaid: [u32; 3],
    pub nctaid: [u32; 3],
    pub nwarps: u32,
    pub dyn_shared_bytes: u32,
    pub _pad: u32,
    /// `%tid.{x,y,z}` of each lane of this warp: the same for every block of a launch, so
    /// computed once per launch and pointed to.
    pub tid: *const [[u32; WARP]; 3],
    /// End of the local-memory stack (overflow check).
    pub local_end: u64,
    /// The coroutine yielder of this warp while it runs as a coroutine (null otherwise).
    pub yielder: *const corosensei::Yielder<(), ()>,
    /// `%cluster_nctaid`: the cluster's shape in CTAs ([1, 1, 1] for a launch without clusters).
    pub cluster_dim: [u32; 3],
    /// `%cluster_ctarank` of this warp's CTA.
    pub cluster_rank: u32,
    /// `%cluster_nctarank`.
    pub cluster_size: u32,
    /// `%is_explicit_cluster`: 1 when the launch or the kernel named a cluster shape.
    pub explicit_cluster: u32,
    /// Shared window of the cluster's rank-0 CTA: the windows of ranks 0.. follow each other
    /// `shared_stride` bytes apart (guards between them: `shared_arena`), so a shared::cluster
    /// address (see `compile::instr`) and a generic address in another CTA's window are both a
    /// rank and an offset from here.
    pub cluster_shared: *mut u8,
    pub shared_stride: u64,
    /// Generation of the cluster barrier at this warp's last `barrier.cluster.arrive`
    /// (run-time state of the wait, not read by compiled code).
    pub cluster_phase: u32,
    /// How many polls inside a loop (`ld.acquire`/`.relaxed`/`.volatile` outside local, param
    /// and const memory, an atomic with a result, `nanosleep`) a warp makes before it lets the
    /// other warps of its group run ([`cuemu_spin_hint`]) and its own lanes waiting further
    /// down run (compile::func `spin_point`): 1 in a cooperative launch (the whole grid is one
    /// group), [`SPIN_POLLS`] for kernels that poll in a loop, 0 (never) otherwise. Warps
    /// switch only at barriers and the lowest pc of a warp runs first, so without this a warp
    /// (or lane) spinning on a flag another warp (or lane) sets would spin forever.
    pub spin_yield: u32,
    /// Polls left before the next switch (compiled code counts down, the helper refills).
    pub spin_budget: u32,
    /// Address of the launch's grid workspace (`%envreg1`:`%envreg2`, read by
    /// cooperative_groups' `this_grid()`): a real one in a cooperative launch, an inaccessible
    /// page in others (see `launch::no_grid_workspace`).
    pub grid_workspace: u64,
}

pub const CTX_GRID_WORKSPACE: u64 = std::mem::offset_of!(WarpCtx, grid_workspace) as u64;
pub const CTX_SPIN_YIELD: u64 = std::mem::offset_of!(WarpCtx, spin_yield) as u64;
pub const CTX_SPIN_BUDGET: u64 = std::mem::offset_of!(WarpCtx, spin_budget) as u64;
/// Polls in a loop between switches in an ordinary launch: a spin-wait costs a few dozen
/// polls per round of the other warps, a loop of atomics one switch per 64 of them.
pub const SPIN_POLLS: u32 = 64;

pub const CTX_PARAMS: u64 = 0;
pub const CTX_SHARED: u64 = 8;
pub const CTX_LOCAL: u64 = 16;
pub const CTX_LOCAL_SP: u64 = 24;
pub const CTX_INIT_MASK: u64 = 40;
pub const CTX_WARP_ID: u64 = 44;
pub const CTX_NTID: u64 = 48;
pub const CTX_CTAID: u64 = 60;
pub const CTX_NCTAID: u64 = 72;
pub const CTX_NWARPS: u64 = 84;
pub const CTX_DYN_SHARED: u64 = 88;
pub const CTX_TID: u64 = 96;
pub const CTX_LOCAL_END: u64 = 104;
pub const CTX_CLUSTER_DIM: u64 = 120;
pub const CTX_CLUSTER_RANK: u64 = 132;
pub const CTX_CLUSTER_SIZE: u64 = 136;
pub const CTX_EXPLICIT_CLUSTER: u64 = 140;
pub const CTX_CLUSTER_SHARED: u64 = 144;
pub const CTX_SHARED_STRIDE: u64 = 152;

const _: () = {
    assert!(std::mem::offset_of!(WarpCtx, params) == CTX_PARAMS as usize);
    assert!(std::mem::offset_of!(WarpCtx, shared) == CTX_SHARED as usize);
    assert!(std::mem::offset_of!(WarpCtx, local) == CTX_LOCAL as usize);
    assert!(std::mem::offset_of!(WarpCtx, local_sp) == CTX_LOCAL_SP as usize);
    assert!(std::mem::offset_of!(WarpCtx, init_mask) == CTX_INIT_MASK as usize);
    assert!(std::mem::offset_of!(WarpCtx, warp_id) == CTX_WARP_ID as usize);
    assert!(std::mem::offset_of!(WarpCtx, ntid) == CTX_NTID as usize);
    assert!(std::mem::offset_of!(WarpCtx, ctaid) == CTX_CTAID as usize);
    assert!(std::mem::offset_of!(WarpCtx, nctaid) == CTX_NCTAID as usize);
    assert!(std::mem::offset_of!(WarpCtx, nwarps) == CTX_NWARPS as usize);
    assert!(std::mem::offset_of!(WarpCtx, dyn_shared_bytes) == CTX_DYN_SHARED as usize);
    assert!(std::mem::offset_of!(WarpCtx, tid) == CTX_TID as usize);
    assert!(std::mem::offset_of!(WarpCtx, local_end) == CTX_LOCAL_END as usize);
    assert!(std::mem::offset_of!(WarpCtx, cluster_dim) == CTX_CLUSTER_DIM as usize);
    assert!(std::mem::offset_of!(WarpCtx, cluster_rank) == CTX_CLUSTER_RANK as usize);
    assert!(std::mem::offset_of!(WarpCtx, cluster_size) == CTX_CLUSTER_SIZE as usize);
    assert!(std::mem::offset_of!(WarpCtx, explicit_cluster) == CTX_EXPLICIT_CLUSTER as usize);
    assert!(std::mem::offset_of!(WarpCtx, cluster_shared) == CTX_CLUSTER_SHARED as usize);
    assert!(std::mem::offset_of!(WarpCtx, shared_stride) == CTX_SHARED_STRIDE as usize);
};

/// Named barriers of one block (PTX has 16). Counts are in warps: a warp arrives as a whole.
pub struct BlockCtx {
    pub arrived: [Cell<u32>; 16],
    pub generation: [Cell<u32>; 16],
    /// Expected warps of each barrier currently being filled (0 = all live warps).
    pub expected: [Cell<u32>; 16],
    /// Warps that have not exited.
    pub live_warps: Cell<u32>,
    /// Set when a barrier released or a warp finished: the scheduler's progress signal.
    pub progress: Cell<bool>,
    /// Set when a warp used up its polls ([`cuemu_spin_hint`]): it waits for memory that
    /// something else writes, maybe a block on another host thread.
    pub spun: Cell<bool>,
    /// The launch's error slot (trap / assert), shared by every block.
    pub fault: *const LaunchFault,
    /// `bar.red`: the reduction being accumulated at each barrier, and the last result.
    pub red_acc: [Cell<u32>; 16],
    pub red_result: [Cell<u32>; 16],
    /// The cluster this block belongs to (its `barrier.cluster`); null when the block runs
    /// without one (barrier-free kernels).
    pub cluster: Cell<*const ClusterCtx>,
}

/// The cluster barrier (`barrier.cluster.arrive` / `.wait`, PTX ISA 9.7.13.2) of the CTAs of
/// one cluster, which run together on one thread. Counts are in warps, as for `bar.sync`.
pub struct ClusterCtx {
    pub arrived: Cell<u32>,
    pub generation: Cell<u32>,
    /// Warps of all the cluster's CTAs that have not exited.
    pub live_warps: Cell<u32>,
    pub progress: Cell<bool>,
}

impl ClusterCtx {
    pub fn new(nwarps: u32) -> Self {
        ClusterCtx { arrived: Cell::new(0), generation: Cell::new(0), live_warps: Cell::new(nwarps), progress: Cell::new(false) }
    }

    fn release_if_complete(&self) {
        if self.arrived.get() > 0 && self.arrived.get() >= self.live_warps.get() {
            self.arrived.set(0);
            self.generation.set(self.generation.get().wrapping_add(1));
            self.progress.set(true);
        }
    }

    fn warp_exited(&self) {
        self.live_warps.set(self.live_warps.get() - 1);
        self.progress.set(true);
        self.release_if_complete();
    }

    /// A warp arrives; returns the generation its wait waits to see pass.
    fn arrive(&self) -> u32 {
        let gen = self.generation.get();
        self.arrived.set(self.arrived.get() + 1);
        self.release_if_complete();
        gen
    }
}

impl BlockCtx {
    pub fn new(nwarps: u32, fault: *const LaunchFault) -> Self {
        BlockCtx {
            arrived: Default::default(),
            generation: Default::default(),
            expected: Default::default(),
            live_warps: Cell::new(nwarps),
            progress: Cell::new(false),
            spun: Cell::new(false),
            fault,
            red_acc: Default::default(),
            red_result: Default::default(),
            cluster: Cell::new(std::ptr::null()),
        }
    }

    fn release(&self, id: usize) {
        self.arrived[id].set(0);
        self.expected[id].set(0);
        self.generation[id].set(self.generation[id].get().wrapping_add(1));
        self.progress.set(true);
    }

    /// A warp finished: barriers waiting for "all live warps" may now be complete.
    pub fn warp_exited(&self) {
        self.live_warps.set(self.live_warps.get() - 1);
        self.progress.set(true);
        let cluster = self.cluster.get();
        if !cluster.is_null() {
            // SAFETY: the launcher keeps the cluster alive while its blocks run.
            unsafe { (*cluster).warp_exited() };
        }
        for id in 0..16 {
            let a = self.arrived[id].get();
            if a > 0 && self.expected[id].get() == 0 && a >= self.live_warps.get() {
                self.release(id);
            }
        }
    }

    /// Returns true when this arrival completed the barrier.
    fn arrive(&self, id: usize, threads: u32) -> bool {
        let expected = if threads == 0 { 0 } else { threads.div_ceil(WARP as u32) };
        if self.arrived[id].get() == 0 {
            self.expected[id].set(expected);
        }
        self.arrived[id].set(self.arrived[id].get() + 1);
        let target = if self.expected[id].get() == 0 { self.live_warps.get() } else { self.expected[id].get() };
        if self.arrived[id].get() >= target {
            self.release(id);
            true
        } else {
            false
        }
    }
}

/// What stopped a launch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultKind {
    Trap,
    Assert,
    Deadlock,
    StackOverflow,
    /// A memory access outside mapped memory (SIGSEGV/SIGBUS caught in kernel code).
    IllegalAddress,
    /// An instruction the H100 stops on with these operands (CUDA_ERROR_ILLEGAL_INSTRUCTION),
    /// e.g. a tensor store at a negative coordinate.
    IllegalInstruction,
    /// An access the H100 refuses for its alignment (CUDA_ERROR_MISALIGNED_ADDRESS), e.g. a
    /// tensor copy whose shared-memory box is not 128-byte aligned.
    MisalignedAddress,
}

/// First fault of a launch; later blocks are skipped once it is set.
#[derive(Default)]
pub struct LaunchFault {
    pub set: std::sync::atomic::AtomicBool,
    pub fault: std::sync::Mutex<Option<(FaultKind, String)>>,
}

impl LaunchFault {
    pub fn raise(&self, kind: FaultKind, msg: String) {
        if !self.set.swap(true, Ordering::SeqCst) {
            *self.fault.lock().unwrap_or_else(|e| e.into_inner()) = Some((kind, msg));
        }
    }
    pub fn is_set(&self) -> bool {
        self.set.load(Ordering::Relaxed)
    }
}

/// `bar.sync id, threads` / `barrier.sync`: arrive, then wait for the barrier's generation to
/// change. Waiting is a coroutine switch back to the block scheduler.
pub unsafe extern "C" fn cuemu_bar_sync(ctx: *mut WarpCtx, id: u32, threads: u32) {
    crate::exec::fault::guard("cuemu_bar_sync", || {
        let ctx = &*ctx;
        let block = &*ctx.block;
        let id = (id & 15) as usize;
        let gen = block.generation[id].get();
        if block.arrive(id, threads) {
            return;
        }
        if ctx.yielder.is_null() {
            // Compiled as barrier-free but reached a barrier: cannot wait. This cannot happen
            // (the launcher uses coroutines whenever the code contains a barrier).
            (*block.fault).raise(FaultKind::Trap, "barrier reached outside a coroutine".into());
            return;
        }
        while block.generation[id].get() == gen {
            (*ctx.yielder).suspend(());
            if (*block.fault).is_set() {
                return;
            }
        }
    })
}

/// Host address of the shared window of CTA `rank` of the warp's cluster (distributed shared
/// memory: the windows lie `shared_stride` bytes apart), or None for a rank outside the cluster.
pub fn cluster_window(ctx: &WarpCtx, rank: u32) -> Option<*mut u8> {
    (rank < ctx.cluster_size).then(|| ctx.cluster_shared.wrapping_add(rank as usize * ctx.shared_stride as usize))
}

/// `barrier.cluster.arrive{.relaxed}{.aligned}` (PTX ISA 9.7.13.2): the warp's arrival on
/// the barrier of its cluster; the matching `barrier.cluster.wait` waits for this phase.
pub unsafe extern "C" fn cuemu_cluster_arrive(ctx: *mut WarpCtx) {
    crate::exec::fault::guard("cuemu_cluster_arrive", || {
        let c = &mut *ctx;
        let cluster = (*c.block).cluster.get();
        if cluster.is_null() {
            (*(*c.block).fault).raise(FaultKind::Trap, "barrier.cluster outside a cluster".into());
            return;
        }
        c.cluster_phase = (*cluster).arrive();
    })
}

/// `barrier.cluster.wait{.acquire}{.aligned}`: suspends until every non-exited warp of every
/// CTA of the cluster has arrived since this warp's arrival.
pub unsafe extern "C" fn cuemu_cluster_wait(ctx: *mut WarpCtx) {
    crate::exec::fault::guard("cuemu_cluster_wait", || {
        let c = &*ctx;
        let block = &*c.block;
        let cluster = block.cluster.get();
        if cluster.is_null() {
            (*block.fault).raise(FaultKind::Trap, "barrier.cluster outside a cluster".into());
            return;
        }
        if c.yielder.is_null() {
            if (*cluster).generation.get() == c.cluster_phase {
                (*block.fault).raise(FaultKind::Trap, "barrier reached outside a coroutine".into());
            }
            return;
        }
        while (*cluster).generation.get() == c.cluster_phase {
            (*c.yielder).suspend(());
            if (*block.fault).is_set() {
                return;
            }
        }
    })
}

/// `bar.red.{popc,and,or}` (PTX ISA 9.7.13.1): `value` is this warp's part (a count of true
/// predicates for popc, 0/1 for and/or); returns the block's result once every warp arrived.
pub unsafe extern "C" fn cuemu_bar_red(ctx: *mut WarpCtx, id: u32, threads: u32, op: u32, value: u32) -> u32 {
    crate::exec::fault::guard("cuemu_bar_red", || {
        let block = &*(*ctx).block;
        let k = (id & 15) as usize;
        if block.arrived[k].get() == 0 {
            block.red_acc[k].set(if op == 1 { 1 } else { 0 });
        }
        let acc = block.red_acc[k].get();
        block.red_acc[k].set(match op {
            0 => acc.wrapping_add(value),
            1 => acc & value,
            _ => acc | value,
        });
        // the warp that completes the barrier publishes the result before anyone wakes
        let complete_if_last = block.arrived[k].get() + 1;
        let target = if block.arrived[k].get() == 0 {
            if threads == 0 {
                block.live_warps.get()
            } else {
                threads.div_ceil(WARP as u32)
            }
        } else if block.expected[k].get() == 0 {
            block.live_warps.get()
        } else {
            block.expected[k].get()
        };
        if complete_if_last >= target {
            block.red_result[k].set(block.red_acc[k].get());
        }
        cuemu_bar_sync(ctx, id, threads);
        block.red_result[k].get()
    })
}

/// When a warp has used up its polls (see [`WarpCtx::spin_yield`]): switch to the other warps
/// of the group (the block, the cluster, or in a cooperative launch the whole grid), so that a
/// warp spinning on a flag another warp or CTA sets (cooperative_groups' grid barrier, a
/// producer's ready flag) lets that one run.
pub unsafe extern "C" fn cuemu_spin_hint(ctx: *mut WarpCtx) {
    crate::exec::fault::guard("cuemu_spin_hint", || {
        let ctx = &mut *ctx;
        let block = &*ctx.block;
        ctx.spin_budget = ctx.spin_yield;
        if ctx.spin_yield != 0 && !ctx.yielder.is_null() {
            // The scheduler counts it as progress (the poll may succeed once the others ran),
            // and as a sign that the warp waits for something outside its group.
            block.spun.set(true);
            (*ctx.yielder).suspend(());
        }
    })
}

/// The lanes a warp runs after a spin point (compile::func `spin_point`): the smallest pc
/// above `from` among `pcs` (the waiting pc of each lane) whose block has no warp- or
/// CTA-synchronous instruction (`sync_blocks[pc]` 0: the other lanes of the warp are not
/// there, and a barrier counts a warp as one), else the smallest pc of all.
pub unsafe extern "C" fn cuemu_rotate_pick(pcs: *const u32, from: u32, sync_blocks: *const u8, nblocks: u32) -> u32 {
    crate::exec::fault::guard("cuemu_rotate_pick", || {
        let pcs = std::slice::from_raw_parts(pcs, WARP);
        let sync = std::slice::from_raw_parts(sync_blocks, nblocks as usize);
        let eligible = pcs.iter().copied().filter(|&pc| pc > from && pc < nblocks && sync[pc as usize] == 0).min();
        eligible.unwrap_or_else(|| pcs.iter().copied().min().unwrap_or(u32::MAX))
    })
}

/// `bar.arrive id, threads`: arrive without waiting.
pub unsafe extern "C" fn cuemu_bar_arrive(ctx: *mut WarpCtx, id: u32, threads: u32) {
    crate::exec::fault::guard("cuemu_bar_arrive", || {
        let block = &*(*ctx).block;
        block.arrive((id & 15) as usize, threads);
    })
}

/// `trap` / failed `assert`: record the fault; the compiled code then exits the warp.
pub unsafe extern "C" fn cuemu_trap(ctx: *mut WarpCtx, kind: u32) {
    crate::exec::fault::guard("cuemu_trap", || {
        let ctx = &*ctx;
        let fault = &*(*ctx.block).fault;
        let (fk, what) = match kind {
            1 => (FaultKind::Assert, "assertion"),
            2 => (FaultKind::IllegalInstruction, "st.async/red.async outside an explicit cluster"),
            _ => (FaultKind::Trap, "trap instruction"),
        };
        fault.raise(fk, format!(
            "{what} in block ({}, {}, {}), warp {}",
            ctx.ctaid[0], ctx.ctaid[1], ctx.ctaid[2], ctx.warp_id
        ));
    })
}

/// `__assertfail(message, file, line, function, charsize)` for the lanes in `mask`.
pub unsafe extern "C" fn cuemu_assertfail(
    ctx: *mut WarpCtx,
    msgs: *const u64,
    files: *const u64,
    lines: *const u32,
    funcs: *const u64,
    mask: u32,
) {
    crate::exec::fault::guard("cuemu_assertfail", || {
        let c = &*ctx;
        for lane in 0..WARP {
            if mask & (1 << lane) == 0 {
                continue;
            }
            let s = |p: u64| {
                if p == 0 {
                    String::from("?")
                } else {
                    std::ffi::CStr::from_ptr(p as *const libc::c_char).to_string_lossy().into_owned()
                }
            };
            let t = &*c.tid;
            let tid = [t[0][lane], t[1][lane], t[2][lane]];
            eprintln!(
                "{}:{}: {}: block: [{},{},{}], thread: [{},{},{}] Assertion `{}` failed.",
                s(*files.add(lane)),
                *lines.add(lane),
                s(*funcs.add(lane)),
                c.ctaid[0],
                c.ctaid[1],
                c.ctaid[2],
                tid[0],
                tid[1],
                tid[2],
                s(*msgs.add(lane))
            );
        }
        cuemu_trap(ctx, 1);
    })
}

/// Local-memory stack overflow (deep recursion): a fault, not memory corruption.
pub unsafe extern "C" fn cuemu_stack_overflow(ctx: *mut WarpCtx) {
    crate::exec::fault::guard("cuemu_stack_overflow", || {
        let fault = &*(*(*ctx).block).fault;
        fault.raise(FaultKind::StackOverflow, "local memory stack overflow (call depth too large)".into());
    })
}

/// Atomic operation codes shared with the code generator.
pub mod atom {
    pub const ADD: u32 = 0;
    pub const MIN: u32 = 1;
    pub const MAX: u32 = 2;
    pub const INC: u32 = 3;
    pub const DEC: u32 = 4;
    pub const AND: u32 = 5;
    pub const OR: u32 = 6;
    pub const XOR: u32 = 7;
    pub const EXCH: u32 = 8;
    pub const CAS: u32 = 9;

    pub const T_U32: u32 = 0;
    pub const T_S32: u32 = 1;
    pub const T_U64: u32 = 2;
    pub const T_S64: u32 = 3;
    pub const T_F32: u32 = 4;
    pub const T_F64: u32 = 5;
    pub const T_B16: u32 = 6;
    pub const T_F16: u32 = 7;
    pub const T_F16X2: u32 = 8;
    pub const T_BF16: u32 = 9;
    pub const T_BF16X2: u32 = 10;

    /// The instruction's state space (`cuemu_atomic_at`'s `space`).
    pub const SPACE_GENERIC: u32 = 0;
    pub const SPACE_GLOBAL: u32 = 1;
    pub const SPACE_SHARED: u32 = 2;
}

/// The float rules of an atomic addition: the H100's differ between global and shared memory
/// ([`atomic_fadd32`], [`atomic_fadd64`]); the bulk copies' reductions use plain IEEE sums.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum FloatRules {
    Global,
    Shared,
    Ieee,
}

/// `atom`/`red` for the lanes in `mask`, in ascending lane order. Operands are passed widened
/// to 64 bits; `out` receives the old values. `space` is the instruction's state space
/// (`atom::SPACE_*`; a generic address is looked up in the block's shared window).
pub unsafe extern "C" fn cuemu_atomic_at(
    ctx: *const WarpCtx,
    op: u32,
    ty: u32,
    space: u32,
    addrs: *const u64,
    a: *const u64,
    b: *const u64,
    mask: u32,
    out: *mut u64,
) {
    crate::exec::fault::guard("cuemu_atomic_at", || {
        let ctx = &*ctx;
        let window = ctx.cluster_shared as u64..ctx.cluster_shared as u64 + ctx.shared_stride * ctx.cluster_size as u64;
        let rules = |p: u64| match space {
            atom::SPACE_SHARED => FloatRules::Shared,
            atom::SPACE_GLOBAL => FloatRules::Global,
            _ if window.contains(&p) => FloatRules::Shared,
            _ => FloatRules::Global,
        };
        atomic_lanes(op, ty, rules, addrs, a, b, mask, out)
    })
}

/// [`cuemu_atomic_at`] with IEEE float additions, for the run-time's own callers (the bulk
/// copies' reductions).
pub unsafe extern "C" fn cuemu_atomic(op: u32, ty: u32, addrs: *const u64, a: *const u64, b: *const u64, mask: u32, out: *mut u64) {
    crate::exec::fault::guard("cuemu_atomic", || atomic_lanes(op, ty, |_| FloatRules::Ieee, addrs, a, b, mask, out))
}

#[allow(clippy::too_many_arguments)]
unsafe fn atomic_lanes(
    op: u32,
    ty: u32,
    rules: impl Fn(u64) -> FloatRules,
    addrs: *const u64,
    a: *const u64,
    b: *const u64,
    mask: u32,
    out: *mut u64,
) {
    for lane in 0..WARP {
        if mask & (1 << lane) == 0 {
            continue;
        }
        let p = *addrs.add(lane);
        let av = *a.add(lane);
        let bv = *b.add(lane);
        let old = match ty {
            atom::T_F32 if op == atom::ADD => atomic_fadd32(p as *mut u32, av as u32, rules(p)) as u64,
            atom::T_F64 if op == atom::ADD => atomic_fadd64(p as *mut u64, av, rules(p)),
            atom::T_B16 | atom::T_F16 | atom::T_BF16 => atomic16(op, ty, p as *mut u16, av as u16, bv as u16) as u64,
            atom::T_F16X2 | atom::T_BF16X2 => atomic_half2(op, ty, p as *mut u32, av as u32) as u64,
            atom::T_U32 | atom::T_S32 | atom::T_F32 => atomic32(op, ty, p as *mut u32, av as u32, bv as u32) as u64,
            _ => atomic64(op, ty, p as *mut u64, av, bv),
        };
        *out.add(lane) = old;
    }
}

/// `atom.cas.b128` / `atom.exch.b128` for the lanes in `mask`, in lane order: `a` the compared
/// (cas) or stored (exch) values, `b` the stored ones of cas, `out` the old values; 32
/// 128-bit words each. One `lock cmpxchg16b` per attempt, so the 128 bits change at once, as
/// the PTX ISA requires (the address is 16-byte aligned, as it requires too).
pub unsafe extern "C" fn cuemu_atomic128(op: u32, addrs: *const u64, a: *const u128, b: *const u128, mask: u32, out: *mut u128) {
    crate::exec::fault::guard("cuemu_atomic128", || {
        for lane in 0..WARP {
            if mask & (1 << lane) == 0 {
                continue;
            }
            let p = *addrs.add(lane) as *mut u128;
            let (av, bv) = (a.add(lane).read_unaligned(), b.add(lane).read_unaligned());
            let old = if op == atom::CAS {
                cas128(p, av, bv)
            } else {
                let mut guess = 0;
                loop {
                    let seen = cas128(p, guess, av);
                    if seen == guess {
                        break seen;
                    }
                    guess = seen;
                }
            };
            out.add(lane).write_unaligned(old);
        }
    })
}

/// One 128-bit compare-and-swap; returns the value found.
unsafe fn cas128(p: *mut u128, expected: u128, new: u128) -> u128 {
    let (mut lo, mut hi) = (expected as u64, (expected >> 64) as u64);
    // cmpxchg16b takes the new value in rcx:rbx; rbx is reserved by LLVM, so it is swapped in
    // and out around the instruction.
    std::arch::asm!(
        "xchg {new_lo}, rbx",
        "lock cmpxchg16b xmmword ptr [{p}]",
        "mov rbx, {new_lo}",
        p = in(reg) p,
        new_lo = inout(reg) new as u64 => _,
        in("rcx") (new >> 64) as u64,
        inout("rax") lo,
        inout("rdx") hi,
        options(nostack),
    );
    (hi as u128) << 64 | lo as u128
}

/// `atom.add.f32` as the H100 does it (tests/conformance part h100-atomics): a NaN operand
/// or sum (inf + -inf) gives the canonical NaN 0x7fffffff; in global memory subnormal
/// operands and results are flushed to zero of the same sign (in shared memory they are kept), as NVIDIA's engineers
/// describe the hardware: "atomic single-precision adds on global memory always operate in
/// flush-to-zero mode, on shared memory with denormal support".
unsafe fn atomic_fadd32(p: *mut u32, a: u32, rules: FloatRules) -> u32 {
    let flush = |x: u32| if rules == FloatRules::Global && x & 0x7f80_0000 == 0 { x & 0x8000_0000 } else { x };
    let cell = &*(p as *const AtomicU32);
    cell.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |old| {
        let r = f32::from_bits(flush(old)) + f32::from_bits(flush(a));
        Some(if rules != FloatRules::Ieee && r.is_nan() { 0x7fff_ffff } else { flush(r.to_bits()) })
    })
    .unwrap_or_else(|v| v)
}

/// `atom.add.f64` as the H100 does it: in global memory a NaN operand is returned as it is
/// (the operand added before the cell's value, not quieted); in shared memory (a loop of
/// compare-and-swap around an ordinary f64 add) the first NaN of (cell, operand) is quieted,
/// as x86's addition does.
unsafe fn atomic_fadd64(p: *mut u64, a: u64, rules: FloatRules) -> u64 {
    let cell = &*(p as *const AtomicU64);
    let global = rules == FloatRules::Global;
    cell.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |old| {
        let (x, y) = (f64::from_bits(old), f64::from_bits(a));
        Some(match () {
            _ if global && y.is_nan() => a,
            _ if global && x.is_nan() => old,
            _ => (x + y).to_bits(),
        })
    })
    .unwrap_or_else(|v| v)
}

fn bf16_to_f32(h: u16) -> f32 {
    f32::from_bits((h as u32) << 16)
}
/// f32 → bf16, round to nearest even (canonical NaN 0x7fff).
fn f32_to_bf16(x: f32) -> u16 {
    let b = x.to_bits();
    if x.is_nan() {
        return 0x7fff;
    }
    ((b + 0x7fff + ((b >> 16) & 1)) >> 16) as u16
}
/// One 16-bit float operation of an atomic (`bf`: bfloat16, else f16); the f32 sum of two
/// 16-bit floats rounds correctly to them (24 >= 2*11+2 bits).
fn half_op(op: u32, bf: bool, old: u16, a: u16) -> u16 {
    let (x, y) = if bf { (bf16_to_f32(old), bf16_to_f32(a)) } else { (f16_to_f64(old) as f32, f16_to_f64(a) as f32) };
    let r = match op {
        atom::ADD => x + y,
        atom::MIN => x.min(y),
        atom::MAX => x.max(y),
        _ => return a,
    };
    if bf {
        f32_to_bf16(r)
    } else {
        f32_to_f16(r)
    }
}

/// 16-bit atomics (PTX ISA 9.7.13.5): cas/exch on b16, add/min/max on f16/bf16.
unsafe fn atomic16(op: u32, ty: u32, p: *mut u16, a: u16, b: u16) -> u16 {
    let cell = &*(p as *const std::sync::atomic::AtomicU16);
    let o = Ordering::SeqCst;
    match op {
        atom::EXCH => cell.swap(a, o),
        atom::CAS => match cell.compare_exchange(a, b, o, o) {
            Ok(v) | Err(v) => v,
        },
        _ => cell.fetch_update(o, o, |old| Some(half_op(op, ty == atom::T_BF16, old, a))).unwrap_or_else(|v| v),
    }
}

/// f16x2 / bf16x2 atomics: both halves in one 32-bit read-modify-write.
unsafe fn atomic_half2(op: u32, ty: u32, p: *mut u32, a: u32) -> u32 {
    let cell = &*(p as *const AtomicU32);
    let o = Ordering::SeqCst;
    let bf = ty == atom::T_BF16X2;
    cell.fetch_update(o, o, |old| {
        let lo = half_op(op, bf, old as u16, a as u16) as u32;
        let hi = half_op(op, bf, (old >> 16) as u16, (a >> 16) as u16) as u32;
        Some(lo | hi << 16)
    })
    .unwrap_or_else(|v| v)
}

/// One lane's atomic read-modify-write on a `$bits`-bit word; returns the old value.
/// `$signed`/`$float` are the same-width reinterpretations for min/max/add.
macro_rules! atomic_rmw {
    ($name:ident, $uint:ty, $atomic:ty, $signed:ty, $float:ty, $tsigned:expr, $tfloat:expr) => {
        unsafe fn $name(op: u32, ty: u32, p: *mut $uint, a: $uint, b: $uint) -> $uint {
            let cell = &*(p as *const $atomic);
            let o = Ordering::SeqCst;
            match op {
                atom::AND => cell.fetch_and(a, o),
                atom::OR => cell.fetch_or(a, o),
                atom::XOR => cell.fetch_xor(a, o),
                atom::EXCH => cell.swap(a, o),
                atom::CAS => match cell.compare_exchange(a, b, o, o) {
                    Ok(v) | Err(v) => v,
                },
                atom::ADD if ty != $tfloat => cell.fetch_add(a, o),
                _ => cell
                    .fetch_update(o, o, |old| {
                        Some(match (op, ty) {
                            (atom::MIN, t) if t == $tsigned => (old as $signed).min(a as $signed) as $uint,
                            (atom::MAX, t) if t == $tsigned => (old as $signed).max(a as $signed) as $uint,
                            (atom::MIN, t) if t == $tfloat => <$float>::from_bits(old).min(<$float>::from_bits(a)).to_bits(),
                            (atom::MAX, t) if t == $tfloat => <$float>::from_bits(old).max(<$float>::from_bits(a)).to_bits(),
                            (atom::MIN, _) => old.min(a),
                            (atom::MAX, _) => old.max(a),
                            // atom.inc/dec wrap at `a` (PTX ISA "atom").
                            (atom::INC, _) => {
                                if old >= a {
                                    0
                                } else {
                                    old + 1
                                }
                            }
                            (atom::DEC, _) => {
                                if old == 0 || old > a {
                                    a
                                } else {
                                    old - 1
                                }
                            }
                            _ => old,
                        })
                    })
                    .unwrap_or_else(|v| v),
            }
        }
    };
}
atomic_rmw!(atomic32, u32, AtomicU32, i32, f32, atom::T_S32, atom::T_F32);
atomic_rmw!(atomic64, u64, AtomicU64, i64, f64, atom::T_S64, atom::T_F64);

/// `%clock`/`%clock64`/`%globaltimer`: nanoseconds of a monotonic clock.
pub extern "C" fn cuemu_clock64() -> u64 {
    crate::exec::fault::guard("cuemu_clock64", || {
        let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
        unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
        ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
    })
}

/// Lane-wise math helpers: `f(in[i]) → out[i]` for 32 lanes. One call per warp instruction
/// keeps the JIT free of libm symbol lookups.
macro_rules! lanewise_f32 {
    ($($name:ident => $f:expr;)*) => {$(
        pub unsafe extern "C" fn $name(x: *const f32, out: *mut f32) {
            crate::exec::fault::guard(stringify!($name), || {
                let f: fn(f32) -> f32 = $f;
                for i in 0..WARP { *out.add(i) = f(*x.add(i)); }
            })
        }
    )*};
}
macro_rules! lanewise_f64 {
    ($($name:ident => $f:expr;)*) => {$(
        pub unsafe extern "C" fn $name(x: *const f64, out: *mut f64) {
            crate::exec::fault::guard(stringify!($name), || {
                let f: fn(f64) -> f64 = $f;
                for i in 0..WARP { *out.add(i) = f(*x.add(i)); }
            })
        }
    )*};
}
/// sin/cos.approx.f32 reduce the argument as the hardware does: x/(2π) rounded to f32, keep
/// the fraction of a turn (PTX ISA 9.7.3.18/19; for large |x| this is what the H100 returns,
/// not the true sine).
fn turns_f32(x: f32) -> f64 {
    let t = ((x as f64) * (0.5 / std::f64::consts::PI)) as f32;
    let f = t as f64 - (t as f64).round();
    f * 2.0 * std::f64::consts::PI
}
fn sin_approx(x: f32) -> f32 {
    if !x.is_finite() {
        return f32::NAN;
    }
    let r = turns_f32(x).sin() as f32;
    if r == 0.0 {
        0.0f32.copysign(x)
    } else {
        r
    }
}
lanewise_f32! {
    cuemu_sin_f32 => sin_approx;
    cuemu_cos_f32 => |x| if x.is_finite() { turns_f32(x).cos() as f32 } else { f32::NAN };
    cuemu_ex2_f32 => f32::exp2;
    cuemu_lg2_f32 => f32::log2;
    cuemu_tanh_f32 => f32::tanh;
}
lanewise_f64! {
    cuemu_sin_f64 => f64::sin;
    cuemu_cos_f64 => f64::cos;
    cuemu_ex2_f64 => f64::exp2;
    cuemu_lg2_f64 => f64::log2;
}

/// Device heap for `malloc`/`free` in kernels: host allocations counted against the context's
/// `CU_LIMIT_MALLOC_HEAP_SIZE` (8 MiB by default, as on NVIDIA's driver); a request that does
/// not fit returns NULL, as the device `malloc` does.
static HEAP_LIMIT: AtomicU64 = AtomicU64::new(8 << 20);
static HEAP_USED: AtomicU64 = AtomicU64::new(0);
/// Bytes in front of each device-heap block: its size, for `free`.
const HEAP_HEADER: usize = 16;

pub fn set_device_heap_limit(bytes: u64) {
    HEAP_LIMIT.store(bytes, Ordering::Relaxed);
}

/// `malloc(size)` for the lanes in `mask`, in lane order; `out[lane]` receives the pointer.
pub unsafe extern "C" fn cuemu_malloc(sizes: *const u64, mask: u32, out: *mut u64) {
    crate::exec::fault::guard("cuemu_malloc", || {
        for lane in 0..WARP {
            if mask & (1 << lane) != 0 {
                *out.add(lane) = heap_alloc(*sizes.add(lane), 16);
            }
        }
    })
}

/// `__nv_aligned_device_malloc(size, align)` (`__cuda_syscall_aligned_malloc`) for the lanes in
/// `mask`. As on the H100 (golden part h100-sweep): NULL for an alignment of 0 or one that is
/// not a power of two, and when the block with its alignment slack does not fit the heap.
pub unsafe extern "C" fn cuemu_aligned_malloc(sizes: *const u64, aligns: *const u64, mask: u32, out: *mut u64) {
    crate::exec::fault::guard("cuemu_aligned_malloc", || {
        for lane in 0..WARP {
            if mask & (1 << lane) != 0 {
                let al = *aligns.add(lane);
                *out.add(lane) = if al.is_power_of_two() { heap_alloc(*sizes.add(lane), al.max(16)) } else { 0 };
            }
        }
    })
}

/// One device-heap block of `size` bytes aligned to `align` (a power of two ≥ 16), or 0. The
/// 16 bytes in front of the pointer hold the charge and the host allocation, for `free`.
unsafe fn heap_alloc(size: u64, align: u64) -> u64 {
    let charge = size.saturating_add(HEAP_HEADER as u64 + align - 16).next_multiple_of(16);
    let fits = HEAP_USED
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |used| {
            let now = used.checked_add(charge)?;
            (now <= HEAP_LIMIT.load(Ordering::Relaxed)).then_some(now)
        })
        .is_ok();
    let base = if fits { libc::malloc(charge as usize) as *mut u8 } else { std::ptr::null_mut() };
    if base.is_null() {
        if fits {
            HEAP_USED.fetch_sub(charge, Ordering::SeqCst);
        }
        return 0;
    }
    // malloc gives 16-byte alignment: the slack of align - 16 bytes reaches the next multiple.
    let p = (base as u64 + HEAP_HEADER as u64).next_multiple_of(align);
    *((p - 16) as *mut u64) = charge;
    *((p - 8) as *mut u64) = base as u64;
    p
}

/// `free(ptr)` for the lanes in `mask` (NULL is ignored).
pub unsafe extern "C" fn cuemu_free(ptrs: *const u64, mask: u32) {
    crate::exec::fault::guard("cuemu_free", || {
        for lane in 0..WARP {
            if mask & (1 << lane) == 0 {
                continue;
            }
            let p = *ptrs.add(lane) as *mut u8;
            if p.is_null() {
                continue;
            }
            let header = p.sub(HEAP_HEADER);
            HEAP_USED.fetch_sub(*(header as *const u64), Ordering::SeqCst);
            libc::free(*(header.add(8) as *const u64) as *mut libc::c_void);
        }
    })
}

/// `cp.async`/`cp.async.bulk` for the lanes in `mask`: `copy[lane]` bytes from `src` to `dst`,
/// then zeros up to `size[lane]` (cp.async's src-size < cp-size).
pub unsafe extern "C" fn cuemu_copy_lanes(dst: *const u64, src: *const u64, copy: *const u64, size: *const u64, mask: u32) {
    crate::exec::fault::guard("cuemu_copy_lanes", || {
        for lane in 0..WARP {
            if mask & (1 << lane) == 0 {
                continue;
            }
            let (d, s) = (*dst.add(lane) as *mut u8, *src.add(lane) as *const u8);
            let (n, total) = (*copy.add(lane) as usize, *size.add(lane) as usize);
            std::ptr::copy(s, d, n.min(total));
            if total > n {
                std::ptr::write_bytes(d.add(n), 0, total - n);
            }
        }
    })
}

/// The mbarrier object (PTX ISA 9.7.13.15), a 64-bit word in shared memory. PTX leaves its
/// layout opaque; here: pending arrivals in bits 0-20, the expected count in 21-41, the
/// transaction count (signed: bytes may complete before they are expected) in 42-62, the
/// phase parity in bit 63. The state an arrive returns is the word before it. The expected
/// count needs 20 bits (PTX allows at most 2^20 - 1); bit 41 holds the layout
/// (`mbarrier.init.layout::v1`, which `mbarrier.check_layout` reports, as on the H100).
pub mod mbar {
    pub const INIT: u32 = 0;
    pub const INVAL: u32 = 1;
    pub const EXPECT_TX: u32 = 2;
    pub const COMPLETE_TX: u32 = 3;
    pub const ARRIVE: u32 = 4;
    pub const ARRIVE_EXPECT_TX: u32 = 5;
    pub const ARRIVE_DROP: u32 = 6;
    pub const ARRIVE_DROP_EXPECT_TX: u32 = 7;
    pub const ARRIVE_NO_COMPLETE: u32 = 8;
    pub const WAIT_STATE: u32 = 9;
    pub const WAIT_PARITY: u32 = 10;
    /// complete_tx of a bulk copy's bytes, 16 at a time (the H100's granule).
    pub const COMPLETE_TX_16: u32 = 11;
    /// init with layout::v1; check_layout (1 for a v1 barrier, 0 for v0).
    pub const INIT_V1: u32 = 12;
    pub const CHECK_LAYOUT: u32 = 13;
    pub const COUNT_MASK: u64 = (1 << 21) - 1;
    pub const PHASE: u64 = 1 << 63;
    pub const LAYOUT_V1: u64 = 1 << 41;

    pub fn pending(w: u64) -> u64 {
        w & COUNT_MASK
    }
    pub fn expected(w: u64) -> u64 {
        (w >> 21) & (COUNT_MASK >> 1)
    }
    pub fn tx(w: u64) -> i64 {
        (((w >> 42) & COUNT_MASK) as i64) << 43 >> 43
    }
    pub fn pack(pending: u64, expected: u64, tx: i64, phase: u64) -> u64 {
        (pending & COUNT_MASK) | (expected & COUNT_MASK >> 1) << 21 | ((tx as u64) & COUNT_MASK) << 42 | (phase & (PHASE | LAYOUT_V1))
    }
    /// Completes the phase if nothing is pending: the next phase expects `expected` again.
    pub fn settle(w: u64) -> u64 {
        if pending(w) == 0 && tx(w) == 0 {
            pack(expected(w), expected(w), 0, (w & (PHASE | LAYOUT_V1)) ^ PHASE)
        } else {
            w
        }
    }
}

/// One mbarrier operation for the lanes in `mask`, in lane order; `out[lane]` receives the
/// state (arrive), or 1/0 (waits: whether the phase completed). A wait that finds its phase
/// incomplete suspends the warp once, so that the warps that will arrive can run.
pub unsafe extern "C" fn cuemu_mbarrier(ctx: *mut WarpCtx, op: u32, addrs: *const u64, args: *const u64, mask: u32, out: *mut u64) {
    crate::exec::fault::guard("cuemu_mbarrier", || {
        let mut waiting = false;
        let mut changed = false;
        for lane in 0..WARP {
            if mask & (1 << lane) == 0 {
                continue;
            }
            let p = *addrs.add(lane) as *mut u64;
            let a = *args.add(lane);
            let w = *p;
            let (new, result) = match op {
                mbar::INIT => (mbar::pack(a, a, 0, 0), 0),
                mbar::INIT_V1 => (mbar::pack(a, a, 0, mbar::LAYOUT_V1), 0),
                mbar::CHECK_LAYOUT => (w, (w & mbar::LAYOUT_V1 != 0) as u64),
                mbar::INVAL => (0, 0),
                mbar::EXPECT_TX => (mbar::pack(mbar::pending(w), mbar::expected(w), mbar::tx(w) + a as i64, w), 0),
                mbar::COMPLETE_TX => (mbar::settle(mbar::pack(mbar::pending(w), mbar::expected(w), mbar::tx(w) - a as i64, w)), 0),
                mbar::COMPLETE_TX_16 => {
                    let (mut v, mut left) = (w, a);
                    while left > 0 {
                        let c = left.min(16);
                        v = mbar::settle(mbar::pack(mbar::pending(v), mbar::expected(v), mbar::tx(v) - c as i64, v));
                        left -= c;
                    }
                    (v, 0)
                }
                mbar::ARRIVE | mbar::ARRIVE_NO_COMPLETE => {
                    let v = mbar::pack(mbar::pending(w).wrapping_sub(a), mbar::expected(w), mbar::tx(w), w);
                    (if op == mbar::ARRIVE { mbar::settle(v) } else { v }, w)
                }
                mbar::ARRIVE_EXPECT_TX => {
                    let v = mbar::pack(mbar::pending(w).wrapping_sub(1), mbar::expected(w), mbar::tx(w) + a as i64, w);
                    (mbar::settle(v), w)
                }
                mbar::ARRIVE_DROP | mbar::ARRIVE_DROP_EXPECT_TX => {
                    let (count, tx) = if op == mbar::ARRIVE_DROP { (a, 0) } else { (1, a as i64) };
                    let v = mbar::pack(mbar::pending(w).wrapping_sub(count), mbar::expected(w).wrapping_sub(count), mbar::tx(w) + tx, w);
                    (mbar::settle(v), w)
                }
                mbar::WAIT_STATE | mbar::WAIT_PARITY => {
                    let target = if op == mbar::WAIT_STATE { a & mbar::PHASE } else { (a & 1) << 63 };
                    let done = (w & mbar::PHASE) != target;
                    waiting |= !done;
                    (w, done as u64)
                }
                _ => (w, 0),
            };
            if new != w {
                *p = new;
                changed = true;
            }
            *out.add(lane) = result;
        }
        let c = &*ctx;
        if changed && !c.block.is_null() {
            (*c.block).progress.set(true);
        }
        if waiting && !c.yielder.is_null() {
            (*c.yielder).suspend(());
        }
    })
}

/// Operations of [`cuemu_warp_members`].
pub mod warp {
    pub const ADD: u32 = 0;
    pub const AND: u32 = 1;
    pub const OR: u32 = 2;
    pub const XOR: u32 = 3;
    pub const SMIN: u32 = 4;
    pub const UMIN: u32 = 5;
    pub const SMAX: u32 = 6;
    pub const UMAX: u32 = 7;
    pub const MATCH_ANY: u32 = 8;
    pub const MATCH_ALL: u32 = 9;
}

/// redux.sync / match.sync with per-lane member masks (PTX ISA 9.7.12.10/11): lane `l` combines
/// the active lanes of `members[l]`. `vals` are 32-bit values (sign-extended for signed
/// reductions) or 64-bit match operands; `out` gets the result, `pred` match.all's predicate.
pub unsafe extern "C" fn cuemu_warp_members(op: u32, vals: *const u64, members: *const u64, mask: u32, out: *mut u64, pred: *mut u64) {
    crate::exec::fault::guard("cuemu_warp_members", || {
        for lane in 0..WARP {
            if mask & (1 << lane) == 0 {
                continue;
            }
            let group = *members.add(lane) as u32 & mask;
            let lanes = (0..WARP).filter(|k| group & (1 << k) != 0);
            let v = |k: usize| *vals.add(k);
            let (r, p) = match op {
                warp::MATCH_ANY => {
                    let me = v(lane);
                    (lanes.filter(|&k| v(k) == me).fold(0u64, |b, k| b | 1 << k), 0)
                }
                warp::MATCH_ALL => {
                    let me = v(lane);
                    let all = lanes.clone().all(|k| v(k) == me);
                    (if all { group as u64 } else { 0 }, all as u64)
                }
                _ => {
                    let mut acc: Option<u64> = None;
                    for k in lanes {
                        let x = v(k);
                        acc = Some(match acc {
                            None => x,
                            Some(a) => match op {
                                warp::ADD => a.wrapping_add(x),
                                warp::AND => a & x,
                                warp::OR => a | x,
                                warp::XOR => a ^ x,
                                warp::SMIN => (a as i64).min(x as i64) as u64,
                                warp::SMAX => (a as i64).max(x as i64) as u64,
                                warp::UMIN => a.min(x),
                                _ => a.max(x),
                            },
                        });
                    }
                    (acc.unwrap_or(0) & 0xffff_ffff, 0)
                }
            };
            *out.add(lane) = r;
            *pred.add(lane) = p;
        }
    })
}

/// Every helper the compiled code may call, by the name the code generator declares.
pub fn helper_symbols() -> Vec<(&'static str, usize)> {
    vec![
        ("cuemu_bar_sync", cuemu_bar_sync as *const () as usize),
        ("cuemu_bar_arrive", cuemu_bar_arrive as *const () as usize),
        ("cuemu_cluster_arrive", cuemu_cluster_arrive as *const () as usize),
        ("cuemu_cluster_wait", cuemu_cluster_wait as *const () as usize),
        ("cuemu_trap", cuemu_trap as *const () as usize),
        ("cuemu_assertfail", cuemu_assertfail as *const () as usize),
        ("cuemu_stack_overflow", cuemu_stack_overflow as *const () as usize),
        ("cuemu_atomic_at", cuemu_atomic_at as *const () as usize),
        ("cuemu_atomic128", cuemu_atomic128 as *const () as usize),
        ("cuemu_clock64", cuemu_clock64 as *const () as usize),
        ("cuemu_aligned_malloc", cuemu_aligned_malloc as *const () as usize),
        ("cuemu_mma", super::matrix::cuemu_mma as *const () as usize),
        ("cuemu_wmma_ldst", super::matrix::cuemu_wmma_ldst as *const () as usize),
        ("cuemu_wmma_mma", super::matrix::cuemu_wmma_mma as *const () as usize),
        ("cuemu_bar_red", cuemu_bar_red as *const () as usize),
        ("cuemu_sfu", super::sfu::cuemu_sfu as *const () as usize),
        ("cuemu_sfu2", super::sfu::cuemu_sfu2 as *const () as usize),
        ("cuemu_sfu64", super::sfu::cuemu_sfu64 as *const () as usize),
        ("cuemu_sin_f32", cuemu_sin_f32 as *const () as usize),
        ("cuemu_cos_f32", cuemu_cos_f32 as *const () as usize),
        ("cuemu_ex2_f32", cuemu_ex2_f32 as *const () as usize),
        ("cuemu_lg2_f32", cuemu_lg2_f32 as *const () as usize),
        ("cuemu_tanh_f32", cuemu_tanh_f32 as *const () as usize),
        ("cuemu_sin_f64", cuemu_sin_f64 as *const () as usize),
        ("cuemu_cos_f64", cuemu_cos_f64 as *const () as usize),
        ("cuemu_ex2_f64", cuemu_ex2_f64 as *const () as usize),
        ("cuemu_lg2_f64", cuemu_lg2_f64 as *const () as usize),
        ("cuemu_vprintf", super::printf::cuemu_vprintf as *const () as usize),
        ("cuemu_malloc", cuemu_malloc as *const () as usize),
        ("cuemu_copy_lanes", cuemu_copy_lanes as *const () as usize),
        ("cuemu_mbarrier", cuemu_mbarrier as *const () as usize),
        ("cuemu_warp_members", cuemu_warp_members as *const () as usize),
        ("cuemu_free", cuemu_free as *const () as usize),
        ("cuemu_tex", super::texture::cuemu_tex as *const () as usize),
        ("cuemu_tensor", super::tensor::cuemu_tensor as *const () as usize),
        ("cuemu_bulk_reduce", super::tensor::cuemu_bulk_reduce as *const () as usize),
        ("cuemu_video", super::video::cuemu_video as *const () as usize),
        ("cuemu_spin_hint", cuemu_spin_hint as *const () as usize),
        ("cuemu_rotate_pick", cuemu_rotate_pick as *const () as usize),
        ("memset", libc::memset as *const () as usize),
        ("memcpy", libc::memcpy as *const () as usize),
        ("memmove", libc::memmove as *const () as usize),
    ]
}

//! Modules, libraries, functions and kernels.
//!
//! An image (fatbin wrapper, bare fatbin, PTX text or cubin) is decoded with the `fatbin`
//! crate; the PTX entry that fits the device's compute capability is handed to the executor
//! ([`ModuleImage::load_ptx`]), which compiles kernels lazily at their first launch.
//! Images without any kernel (the empty device-link fatbin nvcc always adds, or its
//! kernel-less cubin) load as modules with no functions. A cubin with kernels cannot run
//! (no SASS execution): CUDA_ERROR_NO_BINARY_FOR_GPU.
//!
//! A library (`cuLibraryLoadData`, what cudart 12/13 uses) owns one module; its CUkernel
//! handles map to that module's CUfunction handles, and both kinds are accepted wherever a
//! function is launched or queried.

use super::{context, device, memory, Table};
use crate::api::*;
use crate::exec::{KernelInfo, LoadErrorKind, ModuleImage};
use std::collections::HashMap;
use std::ffi::{c_char, c_int, c_uint, c_void, CStr, CString};
use std::sync::{Arc, Mutex, OnceLock};

pub struct Module {
    pub handle: usize,
    /// None for an image without kernels.
    pub image: Option<Arc<ModuleImage>>,
    /// Kernel name → CUfunction handle (created at first request, then stable).
    functions: Mutex<HashMap<String, usize>>,
    /// Module variables registered in the allocation table (base addresses).
    globals: Mutex<Vec<usize>>,
    /// Owning library handle, 0 for cuModuleLoad* modules.
    pub library: usize,
    /// PTX target of the chosen entry (sm_75 → 75); 0 for empty modules.
    pub ptx_target: u32,
}

/// Per-function attributes settable through cuFuncSetAttribute / cuKernelSetAttribute.
#[derive(Clone, Copy, Debug)]
pub struct FuncAttrs {
    pub max_dynamic_shared: c_int,
    pub carveout: c_int,
    pub cache_config: c_uint,
    pub shared_config: c_uint,
    pub cluster: [c_int; 3],
    pub non_portable_cluster: c_int,
    pub cluster_policy: c_int,
}

pub struct Function {
    pub handle: usize,
    pub module: Arc<Module>,
    pub name: CString,
    pub info: KernelInfo,
    pub attrs: Mutex<FuncAttrs>,
}

pub struct Library {
    pub module: Arc<Module>,
    kernels: Mutex<HashMap<String, usize>>,
}

pub struct Kernel {
    pub handle: usize,
    pub library: usize,
    pub function: Arc<Function>,
}

fn modules() -> &'static Table<Module> {
    static T: OnceLock<Table<Module>> = OnceLock::new();
    T.get_or_init(Table::new)
}
fn functions() -> &'static Table<Function> {
    static T: OnceLock<Table<Function>> = OnceLock::new();
    T.get_or_init(Table::new)
}
fn libraries() -> &'static Table<Library> {
    static T: OnceLock<Table<Library>> = OnceLock::new();
    T.get_or_init(Table::new)
}
fn kernels() -> &'static Table<Kernel> {
    static T: OnceLock<Table<Kernel>> = OnceLock::new();
    T.get_or_init(Table::new)
}

// ---- JIT options ----

const CU_JIT_WALL_TIME: c_uint = 2;
const CU_JIT_INFO_LOG_BUFFER: c_uint = 3;
const CU_JIT_INFO_LOG_BUFFER_SIZE_BYTES: c_uint = 4;
const CU_JIT_ERROR_LOG_BUFFER: c_uint = 5;
const CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES: c_uint = 6;
const CU_JIT_LOG_VERBOSE: c_uint = 12;
const CU_JIT_NUM_OPTIONS: c_uint = 36;

/// The JIT options a caller passed: where to write logs (and the size slots to update).
pub(crate) struct JitLogs {
    values: *mut *mut c_void,
    info: Option<(*mut c_char, usize, usize)>, // buffer, size, index of the size slot
    error: Option<(*mut c_char, usize, usize)>,
    wall_time: Option<usize>,
    verbose: bool,
}

impl JitLogs {
    fn none() -> Self {
        JitLogs { values: std::ptr::null_mut(), info: None, error: None, wall_time: None, verbose: false }
    }

    pub(crate) unsafe fn parse(n: c_uint, options: *const c_uint, values: *mut *mut c_void) -> CuResult<Self> {
        let mut logs = JitLogs::none();
        if n == 0 {
            return Ok(logs);
        }
        if options.is_null() || values.is_null() {
            return Err(CUDA_ERROR_INVALID_VALUE);
        }
        logs.values = values;
        let (mut info_buf, mut info_size, mut err_buf, mut err_size) = (None, None, None, None);
        for i in 0..n as usize {
            let v = *values.add(i);
            match *options.add(i) {
                CU_JIT_INFO_LOG_BUFFER => info_buf = Some(v as *mut c_char),
                CU_JIT_INFO_LOG_BUFFER_SIZE_BYTES => info_size = Some((v as usize as u32 as usize, i)),
                CU_JIT_ERROR_LOG_BUFFER => err_buf = Some(v as *mut c_char),
                CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES => err_size = Some((v as usize as u32 as usize, i)),
                CU_JIT_LOG_VERBOSE => logs.verbose = v as usize != 0,
                CU_JIT_WALL_TIME => logs.wall_time = Some(i),
                o if o >= CU_JIT_NUM_OPTIONS => return Err(CUDA_ERROR_INVALID_VALUE),
                // Optimisation level, register limits, targets, caching …: nothing to tune.
                _ => {}
            }
        }
        if let (Some(b), Some((s, i))) = (info_buf, info_size) {
            logs.info = Some((b, s, i));
        }
        if let (Some(b), Some((s, i))) = (err_buf, err_size) {
            logs.error = Some((b, s, i));
        }
        Ok(logs)
    }

    unsafe fn write(&self, which: Option<(*mut c_char, usize, usize)>, msg: &str) {
        let Some((buf, size, slot)) = which else { return };
        if buf.is_null() || size == 0 {
            return;
        }
        let n = msg.len().min(size - 1);
        std::ptr::copy_nonoverlapping(msg.as_ptr(), buf.cast::<u8>(), n);
        *buf.add(n) = 0;
        // OUT: bytes of the buffer filled.
        *self.values.add(slot) = (n + 1) as *mut c_void;
    }

    /// Writes `msg` to the error log buffer, if the caller gave one (cuLink*).
    pub(crate) unsafe fn error_log(&self, msg: &str) {
        self.write(self.error, msg)
    }

    pub(crate) unsafe fn info_log(&self, msg: &str) {
        self.write(self.info, msg)
    }

    /// CU_JIT_WALL_TIME, if asked for: milliseconds since `started`.
    pub(crate) unsafe fn wall_time(&self, started: std::time::Instant) {
        if let Some(slot) = self.wall_time {
            *(self.values.add(slot) as *mut f32) = started.elapsed().as_secs_f32() * 1e3;
        }
    }

    unsafe fn finish(&self, started: std::time::Instant, result: &CuResult<Arc<Module>>, log: &str) {
        if let Some(slot) = self.wall_time {
            let ms = started.elapsed().as_secs_f32() * 1e3;
            *(self.values.add(slot) as *mut f32) = ms;
        }
        match result {
            Ok(_) => self.write(self.info, log),
            Err(_) => self.write(self.error, log),
        }
    }
}

// ---- image decoding ----

/// True when a cubin has no kernel code (`.text.<kernel>` sections): the device-link cubin
/// nvcc adds to every executable.
fn elf_has_kernels(elf: &[u8]) -> bool {
    let rd = |off: usize, n: usize| -> Option<u64> {
        let b = elf.get(off..off + n)?;
        Some(match n {
            2 => u16::from_le_bytes(b.try_into().ok()?) as u64,
            4 => u32::from_le_bytes(b.try_into().ok()?) as u64,
            _ => u64::from_le_bytes(b.try_into().ok()?),
        })
    };
    let parse = || -> Option<bool> {
        let shoff = rd(0x28, 8)? as usize;
        let shentsize = rd(0x3a, 2)? as usize;
        let shnum = rd(0x3c, 2)? as usize;
        let shstrndx = rd(0x3e, 2)? as usize;
        let strtab = rd(shoff + shstrndx * shentsize + 0x18, 8)? as usize;
        for i in 0..shnum {
            let name_off = rd(shoff + i * shentsize, 4)? as usize;
            let name = elf.get(strtab + name_off..)?;
            let end = name.iter().position(|&c| c == 0)?;
            if name[..end].starts_with(b".text.") {
                return Some(true);
            }
        }
        Some(false)
    };
    parse().unwrap_or(true)
}

/// The emulated compute capability as a number (8.6 → 86) for the current context's device.
pub(crate) fn device_cc() -> u32 {
    let dev = context::current().map(|c| c.device).unwrap_or(0);
    let d = device::get(dev).unwrap_or(&device::all()[0]);
    (d.cc.0 * 10 + d.cc.1) as u32
}

/// `.target sm_XY` of PTX text (first target, 0 if absent).
fn ptx_target_of(text: &str) -> u32 {
    text.lines()
        .find_map(|l| l.trim().strip_prefix(".target"))
        .and_then(|t| t.split(|c: char| c == ',' || c.is_whitespace()).find(|s| s.starts_with("sm_")))
        .and_then(|s| s[3..].trim_end_matches(|c: char| c.is_ascii_alphabetic()).parse().ok())
        .unwrap_or(0)
}

/// What an image yields: PTX to load, or an empty module.
pub(crate) enum Source {
    Ptx(String),
    Empty,
}

/// Chooses the code to run from a decoded image; the error carries the log text.
pub(crate) fn choose(image: &fatbin::Image<'_>, cc: u32) -> Result<Source, (CUresult, String)> {
    match image {
        // Text that does not even declare a PTX version is not an image NVIDIA recognises:
        // CUDA_ERROR_INVALID_IMAGE (measured), not INVALID_PTX.
        fatbin::Image::Ptx(text) if !text.contains(".version") => {
            Err((CUDA_ERROR_INVALID_IMAGE, "not a PTX module, fatbin or cubin (no .version directive)".into()))
        }
        fatbin::Image::Ptx(text) => Ok(Source::Ptx(text.to_string())),
        fatbin::Image::Elf(elf) => {
            if elf_has_kernels(elf) {
                Err((CUDA_ERROR_NO_BINARY_FOR_GPU, "cuemu runs PTX only; this image is a cubin (SASS) with kernels".into()))
            } else {
                Ok(Source::Empty)
            }
        }
        _ => {
            let fatbins = image.fatbins();
            let entries: Vec<&fatbin::Entry<'_>> = fatbins.iter().flat_map(|f| f.entries.iter()).collect();
            match fatbin::select_ptx(entries.iter().copied(), cc) {
                Ok(e) => e.ptx_text().map(Source::Ptx).map_err(|err| (CUDA_ERROR_INVALID_IMAGE, format!("cannot read PTX entry: {err}"))),
                Err(no_ptx) => {
                    // No usable PTX: fine if nothing in the image has kernels.
                    let has_code = entries.iter().any(|e| match e.kind {
                        fatbin::EntryKind::Elf => e.data().map(|d| elf_has_kernels(&d)).unwrap_or(true),
                        _ => true,
                    });
                    if has_code {
                        Err((CUDA_ERROR_NO_BINARY_FOR_GPU, no_ptx.to_string()))
                    } else {
                        Ok(Source::Empty)
                    }
                }
            }
        }
    }
}

/// Loads a module from a decoded image; returns the module and the log text.
fn load_image(image: &fatbin::Image<'_>, library: usize) -> (CuResult<Arc<Module>>, String) {
    let cc = device_cc();
    let source = match choose(image, cc) {
        Ok(s) => s,
        Err((code, msg)) => {
            tracing::warn!("module load: {msg} -> {code:?}");
            return (Err(code), format!("cuemu: {msg}"));
        }
    };
    let (image, target, log) = match source {
        Source::Empty => (None, 0, "cuemu: image has no kernels; empty module".to_string()),
        Source::Ptx(text) => {
            let target = ptx_target_of(&text);
            if target > cc {
                let msg = format!("PTX .target sm_{target} is newer than the device (compute capability {}.{})", cc / 10, cc % 10);
                tracing::warn!("module load: {msg}");
                return (Err(CUDA_ERROR_INVALID_PTX), format!("cuemu: {msg}"));
            }
            match ModuleImage::load_ptx(&text) {
                Ok(m) => {
                    let n = m.kernel_names().len();
                    (Some(m), target, format!("cuemu: loaded PTX (sm_{target}) with {n} kernels"))
                }
                Err(e) => {
                    let code = match e.kind {
                        LoadErrorKind::UnsupportedVersion => CUDA_ERROR_UNSUPPORTED_PTX_VERSION,
                        LoadErrorKind::InvalidPtx | LoadErrorKind::Unsupported => CUDA_ERROR_INVALID_PTX,
                        LoadErrorKind::NotSupported => CUDA_ERROR_NOT_SUPPORTED,
                    };
                    tracing::warn!("module load: {:?}: {} -> {code:?}", e.kind, e.message);
                    return (Err(code), e.message);
                }
            }
        }
    };
    let h = super::new_handle();
    let m = Arc::new(Module {
        handle: h,
        image,
        functions: Mutex::new(HashMap::new()),
        globals: Mutex::new(Vec::new()),
        library,
        ptx_target: target,
    });
    modules().insert_arc(h, m.clone());
    (Ok(m), log)
}

/// Decodes the image at `p` (any of the four kinds) and loads it, writing JIT logs.
unsafe fn load_from_ptr(p: *const c_void, logs: &JitLogs, library: usize) -> CuResult<Arc<Module>> {
    if p.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let started = std::time::Instant::now();
    let (result, log) = match fatbin::image_from_ptr(p.cast()) {
        Ok(img) => load_image(&img, library),
        Err(e) => {
            tracing::warn!("module load: not a loadable image: {e}");
            (Err(CUDA_ERROR_INVALID_IMAGE), format!("cuemu: invalid image: {e}"))
        }
    };
    logs.finish(started, &result, &log);
    if logs.verbose {
        tracing::info!("{log}");
    }
    result
}

// ---- module entry points ----

pub unsafe fn load_data(module: *mut CUmodule, image: *const c_void) -> CuResult {
    load_data_ex(module, image, 0, std::ptr::null_mut(), std::ptr::null_mut())
}

pub unsafe fn load_data_ex(module: *mut CUmodule, image: *const c_void, n: c_uint, options: *mut c_uint, values: *mut *mut c_void) -> CuResult {
    if module.is_null() || image.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    context::current_checked()?;
    let logs = JitLogs::parse(n, options, values)?;
    *module = load_from_ptr(image, &logs, 0)?.handle as CUmodule;
    Ok(())
}

pub unsafe fn load_fat_binary(module: *mut CUmodule, fat_cubin: *const c_void) -> CuResult {
    load_data(module, fat_cubin)
}

/// Reads a whole file (PTX, cubin or fatbin) and loads it.
unsafe fn read_image_file(fname: *const c_char) -> CuResult<Vec<u8>> {
    if fname.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let path = CStr::from_ptr(fname).to_string_lossy().into_owned();
    let mut bytes = std::fs::read(&path).map_err(|e| {
        tracing::debug!("cannot read module file {path}: {e}");
        CUDA_ERROR_FILE_NOT_FOUND
    })?;
    bytes.push(0); // PTX must be NUL-terminated
    Ok(bytes)
}

fn load_from_bytes(bytes: &[u8], logs: &JitLogs, library: usize) -> CuResult<Arc<Module>> {
    let started = std::time::Instant::now();
    let (result, log) = match fatbin::image_from_bytes(bytes) {
        Ok(img) => load_image(&img, library),
        Err(e) => (Err(CUDA_ERROR_INVALID_IMAGE), format!("cuemu: invalid image: {e}")),
    };
    unsafe { logs.finish(started, &result, &log) };
    result
}

pub unsafe fn load(module: *mut CUmodule, fname: *const c_char) -> CuResult {
    if module.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    context::current_checked()?;
    let bytes = read_image_file(fname)?;
    *module = load_from_bytes(&bytes, &JitLogs::none(), 0)?.handle as CUmodule;
    Ok(())
}

fn drop_module(m: &Arc<Module>) {
    modules().remove(m.handle as CUmodule);
    for (_, h) in m.functions.lock().unwrap().drain() {
        functions().remove(h as CUfunction);
    }
    for base in m.globals.lock().unwrap().drain(..) {
        memory::unregister_global(base);
    }
}

pub unsafe fn unload(hmod: CUmodule) -> CuResult {
    let m = modules().get(hmod).ok_or(CUDA_ERROR_INVALID_HANDLE)?;
    // Queued launches may still run this module's code.
    super::queue::drain_all();
    if m.library != 0 {
        // Library modules go away with their library (cuLibraryUnload).
        return Err(CUDA_ERROR_INVALID_HANDLE);
    }
    drop_module(&m);
    Ok(())
}

fn lookup_module(hmod: CUmodule) -> CuResult<Arc<Module>> {
    modules().get(hmod).ok_or(CUDA_ERROR_INVALID_HANDLE)
}

const DEFAULT_MAX_DYNAMIC_SHARED: c_int = device::SHARED_PER_BLOCK;

/// The function handle for `name` in `m` (stable across calls), or NOT_FOUND.
fn function_of(m: &Arc<Module>, name: &str) -> CuResult<Arc<Function>> {
    let mut fns = m.functions.lock().unwrap();
    if let Some(h) = fns.get(name) {
        if let Some(f) = functions().get(*h as CUfunction) {
            return Ok(f);
        }
    }
    let info = m.image.as_ref().and_then(|img| img.kernel(name)).ok_or(CUDA_ERROR_NOT_FOUND)?;
    let h = super::new_handle();
    let max_dyn = (DEFAULT_MAX_DYNAMIC_SHARED - info.static_shared_bytes as c_int).max(0);
    let cluster = info.required_cluster.map_or([0; 3], |d| d.map(|x| x as c_int));
    let f = Arc::new(Function {
        handle: h,
        module: m.clone(),
        name: CString::new(name).map_err(|_| CUDA_ERROR_INVALID_VALUE)?,
        info,
        attrs: Mutex::new(FuncAttrs {
            max_dynamic_shared: max_dyn,
            carveout: -1,
            cache_config: 0,
            shared_config: 0,
            cluster,
            non_portable_cluster: 0,
            cluster_policy: 0,
        }),
    });
    functions().insert_arc(h, f.clone());
    fns.insert(name.to_string(), h);
    Ok(f)
}

unsafe fn c_name<'a>(name: *const c_char) -> CuResult<&'a str> {
    if name.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    CStr::from_ptr(name).to_str().map_err(|_| CUDA_ERROR_NOT_FOUND)
}

pub unsafe fn get_function(hfunc: *mut CUfunction, hmod: CUmodule, name: *const c_char) -> CuResult {
    if hfunc.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    context::current()?;
    let m = lookup_module(hmod)?;
    *hfunc = function_of(&m, c_name(name)?)?.handle as CUfunction;
    Ok(())
}

fn kernel_names(m: &Module) -> Vec<String> {
    let mut names = m.image.as_ref().map(|i| i.kernel_names()).unwrap_or_default();
    names.sort();
    names
}

pub unsafe fn get_function_count(count: *mut c_uint, hmod: CUmodule) -> CuResult {
    if count.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    *count = kernel_names(&*lookup_module(hmod)?).len() as c_uint;
    Ok(())
}

pub unsafe fn enumerate_functions(out: *mut CUfunction, n: c_uint, hmod: CUmodule) -> CuResult {
    if out.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let m = lookup_module(hmod)?;
    for (i, name) in kernel_names(&m).iter().take(n as usize).enumerate() {
        *out.add(i) = function_of(&m, name)?.handle as CUfunction;
    }
    Ok(())
}

/// A module variable: its address is registered as device memory so copies validate.
fn global_of(m: &Module, name: &str) -> CuResult<(usize, usize)> {
    let (p, size) = m.image.as_ref().and_then(|i| i.global(name)).ok_or(CUDA_ERROR_NOT_FOUND)?;
    let base = p as usize;
    let mut g = m.globals.lock().unwrap();
    if !g.contains(&base) {
        memory::register_global(base, size);
        g.push(base);
    }
    Ok((base, size))
}

pub unsafe fn get_global(dptr: *mut CUdeviceptr, bytes: *mut usize, hmod: CUmodule, name: *const c_char) -> CuResult {
    context::current()?;
    let m = lookup_module(hmod)?;
    let (base, size) = global_of(&m, c_name(name)?)?;
    if !dptr.is_null() {
        *dptr = base as CUdeviceptr;
    }
    if !bytes.is_null() {
        *bytes = size;
    }
    Ok(())
}

pub const CU_MODULE_EAGER_LOADING: c_uint = 1;
pub const CU_MODULE_LAZY_LOADING: c_uint = 2;

/// Kernels are translated at first launch: lazy, which is also what makes cudart load
/// modules on first use (notes §8).
pub unsafe fn get_loading_mode(mode: *mut c_uint) -> CuResult {
    super::out(mode, CU_MODULE_LAZY_LOADING)
}

// ---- libraries and kernels ----

const CU_LIBRARY_NUM_OPTIONS: c_uint = 2;

pub unsafe fn library_load_data(
    library: *mut CUlibrary,
    code: *const c_void,
    jit_options: *mut c_uint,
    jit_values: *mut *mut c_void,
    num_jit: c_uint,
    lib_options: *mut c_uint,
    lib_values: *mut *mut c_void,
    num_lib: c_uint,
) -> CuResult {
    if library.is_null() || code.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    check_library_options(lib_options, lib_values, num_lib)?;
    let logs = JitLogs::parse(num_jit, jit_options, jit_values)?;
    let h = super::new_handle();
    let m = load_from_ptr(code, &logs, h)?;
    libraries().insert_arc(h, Arc::new(Library { module: m, kernels: Mutex::new(HashMap::new()) }));
    *library = h as CUlibrary;
    Ok(())
}

/// HOST_UNIVERSAL_FUNCTION_AND_DATA_TABLE and BINARY_IS_PRESERVED: accepted (we copy the PTX
/// out of the image, so whether the caller keeps it does not matter).
unsafe fn check_library_options(options: *mut c_uint, values: *mut *mut c_void, n: c_uint) -> CuResult {
    if n == 0 {
        return Ok(());
    }
    if options.is_null() || values.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    for i in 0..n as usize {
        if *options.add(i) >= CU_LIBRARY_NUM_OPTIONS {
            return Err(CUDA_ERROR_INVALID_VALUE);
        }
    }
    Ok(())
}

pub unsafe fn library_load_from_file(
    library: *mut CUlibrary,
    file: *const c_char,
    jit_options: *mut c_uint,
    jit_values: *mut *mut c_void,
    num_jit: c_uint,
    lib_options: *mut c_uint,
    lib_values: *mut *mut c_void,
    num_lib: c_uint,
) -> CuResult {
    if library.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    check_library_options(lib_options, lib_values, num_lib)?;
    let logs = JitLogs::parse(num_jit, jit_options, jit_values)?;
    let bytes = read_image_file(file)?;
    let h = super::new_handle();
    let m = load_from_bytes(&bytes, &logs, h)?;
    libraries().insert_arc(h, Arc::new(Library { module: m, kernels: Mutex::new(HashMap::new()) }));
    *library = h as CUlibrary;
    Ok(())
}

fn lookup_library(lib: CUlibrary) -> CuResult<Arc<Library>> {
    libraries().get(lib).ok_or(CUDA_ERROR_INVALID_HANDLE)
}

pub unsafe fn library_unload(lib: CUlibrary) -> CuResult {
    super::queue::drain_all();
    let l = libraries().remove(lib).ok_or(CUDA_ERROR_INVALID_HANDLE)?;
    for (_, h) in l.kernels.lock().unwrap().drain() {
        kernels().remove(h as CUkernel);
    }
    drop_module(&l.module);
    Ok(())
}

fn kernel_of(lib_handle: usize, l: &Library, name: &str) -> CuResult<Arc<Kernel>> {
    let mut ks = l.kernels.lock().unwrap();
    if let Some(h) = ks.get(name) {
        if let Some(k) = kernels().get(*h as CUkernel) {
            return Ok(k);
        }
    }
    let function = function_of(&l.module, name)?;
    let h = super::new_handle();
    let k = Arc::new(Kernel { handle: h, library: lib_handle, function });
    kernels().insert_arc(h, k.clone());
    ks.insert(name.to_string(), h);
    Ok(k)
}

pub unsafe fn library_get_kernel(pkernel: *mut CUkernel, lib: CUlibrary, name: *const c_char) -> CuResult {
    if pkernel.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let l = lookup_library(lib)?;
    *pkernel = kernel_of(lib as usize, &l, c_name(name)?)?.handle as CUkernel;
    Ok(())
}

pub unsafe fn library_get_module(pmod: *mut CUmodule, lib: CUlibrary) -> CuResult {
    if pmod.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    context::current()?;
    *pmod = lookup_library(lib)?.module.handle as CUmodule;
    Ok(())
}

pub unsafe fn library_get_global(dptr: *mut CUdeviceptr, bytes: *mut usize, lib: CUlibrary, name: *const c_char) -> CuResult {
    context::current()?;
    let l = lookup_library(lib)?;
    let (base, size) = global_of(&l.module, c_name(name)?)?;
    if !dptr.is_null() {
        *dptr = base as CUdeviceptr;
    }
    if !bytes.is_null() {
        *bytes = size;
    }
    Ok(())
}

/// Managed variables (`__managed__`) are ordinary globals here.
pub unsafe fn library_get_managed(dptr: *mut CUdeviceptr, bytes: *mut usize, lib: CUlibrary, name: *const c_char) -> CuResult {
    library_get_global(dptr, bytes, lib, name)
}

pub unsafe fn library_get_kernel_count(count: *mut c_uint, lib: CUlibrary) -> CuResult {
    if count.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    *count = kernel_names(&lookup_library(lib)?.module).len() as c_uint;
    Ok(())
}

pub unsafe fn library_enumerate_kernels(out: *mut CUkernel, n: c_uint, lib: CUlibrary) -> CuResult {
    if out.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let l = lookup_library(lib)?;
    for (i, name) in kernel_names(&l.module).iter().take(n as usize).enumerate() {
        *out.add(i) = kernel_of(lib as usize, &l, name)?.handle as CUkernel;
    }
    Ok(())
}

fn lookup_kernel(k: CUkernel) -> CuResult<Arc<Kernel>> {
    kernels().get(k).ok_or(CUDA_ERROR_INVALID_HANDLE)
}

pub unsafe fn kernel_get_function(pfunc: *mut CUfunction, k: CUkernel) -> CuResult {
    if pfunc.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    context::current()?;
    *pfunc = lookup_kernel(k)?.function.handle as CUfunction;
    Ok(())
}

pub unsafe fn kernel_get_library(plib: *mut CUlibrary, k: CUkernel) -> CuResult {
    if plib.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    *plib = lookup_kernel(k)?.library as CUlibrary;
    Ok(())
}

pub unsafe fn kernel_get_attribute(pi: *mut c_int, attrib: c_int, k: CUkernel, dev: CUdevice) -> CuResult {
    device::get(dev)?;
    func_attribute(pi, attrib, &lookup_kernel(k)?.function, dev)
}

pub unsafe fn kernel_set_attribute(attrib: c_int, val: c_int, k: CUkernel, dev: CUdevice) -> CuResult {
    device::get(dev)?;
    set_func_attribute(&lookup_kernel(k)?.function, attrib, val)
}

pub unsafe fn kernel_set_cache_config(k: CUkernel, config: c_uint, dev: CUdevice) -> CuResult {
    device::get(dev)?;
    if config > 3 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    lookup_kernel(k)?.function.attrs.lock().unwrap().cache_config = config;
    Ok(())
}

pub unsafe fn kernel_get_name(name: *mut *const c_char, k: CUkernel) -> CuResult {
    if name.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    *name = lookup_kernel(k)?.function.name.as_ptr();
    Ok(())
}

unsafe fn param_info(f: &Function, index: usize, offset: *mut usize, size: *mut usize) -> CuResult {
    let p = f.info.params.get(index).ok_or(CUDA_ERROR_INVALID_VALUE)?;
    if !offset.is_null() {
        *offset = p.offset;
    }
    if !size.is_null() {
        *size = p.size;
    }
    Ok(())
}

pub unsafe fn kernel_get_param_info(k: CUkernel, index: usize, offset: *mut usize, size: *mut usize) -> CuResult {
    param_info(&*lookup_kernel(k)?.function, index, offset, size)
}

/// cuFuncGetParamCount / cuKernelGetParamCount (CUDA 13.2): the kernel's `.param` count.
unsafe fn param_count(f: &Function, count: *mut usize) -> CuResult {
    if count.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    *count = f.info.params.len();
    Ok(())
}

pub unsafe fn kernel_get_param_count(k: CUkernel, count: *mut usize) -> CuResult {
    param_count(&*lookup_kernel(k)?.function, count)
}

pub unsafe fn func_get_param_count(f: CUfunction, count: *mut usize) -> CuResult {
    param_count(&*resolve_function(f)?, count)
}

// ---- functions ----

/// A CUfunction, or a CUkernel passed where a CUfunction is expected (cudart 13 launches
/// CUkernels through cuLaunchKernel).
pub fn resolve_function(f: CUfunction) -> CuResult<Arc<Function>> {
    if let Some(func) = functions().get(f) {
        return Ok(func);
    }
    kernels().get(f).map(|k| k.function.clone()).ok_or(CUDA_ERROR_INVALID_HANDLE)
}

pub unsafe fn func_get_param_info(f: CUfunction, index: usize, offset: *mut usize, size: *mut usize) -> CuResult {
    param_info(&*resolve_function(f)?, index, offset, size)
}

unsafe fn func_attribute(pi: *mut c_int, attrib: c_int, f: &Function, dev: CUdevice) -> CuResult {
    if pi.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    let a = *f.attrs.lock().unwrap();
    let d = device::get(dev)?;
    *pi = match attrib {
        0 => (f.info.max_threads_per_block as c_int).clamp(1, device::MAX_THREADS_PER_BLOCK),
        1 => f.info.static_shared_bytes as c_int,
        2 => f.module.image.as_ref().map_or(0, |i| i.const_bytes()) as c_int, // CONST_SIZE_BYTES
        3 => f.info.local_bytes_per_thread as c_int,
        4 => f.info.num_regs as c_int,
        5 => f.info.ptx_target as c_int,         // PTX_VERSION: the module's PTX target
        6 => d.cc.0 * 10 + d.cc.1,               // BINARY_VERSION: JIT-compiled for the device
        7 => 0,                                  // CACHE_MODE_CA
        8 => a.max_dynamic_shared,
        9 => a.carveout,
        10 => f.info.explicit_cluster as c_int, // CLUSTER_SIZE_MUST_BE_SET
        11 => a.cluster[0],
        12 => a.cluster[1],
        13 => a.cluster[2],
        14 => a.non_portable_cluster,
        15 => a.cluster_policy,
        16 => 0, // DEVICE_NODE_UPDATE_SUPPORTED (graphs)
        17 => 0, // SHARED_MEMORY_MODE default
        _ => return Err(CUDA_ERROR_INVALID_VALUE),
    };
    Ok(())
}

fn set_func_attribute(f: &Function, attrib: c_int, value: c_int) -> CuResult {
    let mut a = f.attrs.lock().unwrap();
    match attrib {
        8 => {
            let limit = device::SHARED_PER_BLOCK_OPTIN - f.info.static_shared_bytes as c_int;
            if value < 0 || value > limit {
                return Err(CUDA_ERROR_INVALID_VALUE);
            }
            a.max_dynamic_shared = value;
        }
        9 => {
            if !(-1..=100).contains(&value) {
                return Err(CUDA_ERROR_INVALID_VALUE);
            }
            a.carveout = value;
        }
        // A compiled cluster shape cannot be changed (CUDA_ERROR_INVALID_VALUE on an H100).
        11..=13 if f.info.required_cluster.is_some() || value < 0 => return Err(CUDA_ERROR_INVALID_VALUE),
        11..=13 => a.cluster[(attrib - 11) as usize] = value,
        14 => a.non_portable_cluster = value,
        15 => a.cluster_policy = value,
        17 => {}
        _ => return Err(CUDA_ERROR_INVALID_VALUE),
    }
    Ok(())
}

pub unsafe fn get_attribute(pi: *mut c_int, attrib: c_int, f: CUfunction) -> CuResult {
    let func = resolve_function(f)?;
    let dev = context::current().map(|c| c.device).unwrap_or(0);
    func_attribute(pi, attrib, &func, dev)
}

pub unsafe fn set_attribute(f: CUfunction, attrib: c_int, value: c_int) -> CuResult {
    set_func_attribute(&*resolve_function(f)?, attrib, value)
}

pub unsafe fn set_cache_config(f: CUfunction, config: c_uint) -> CuResult {
    if config > 3 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    resolve_function(f)?.attrs.lock().unwrap().cache_config = config;
    Ok(())
}

pub unsafe fn set_shared_mem_config(f: CUfunction, config: c_uint) -> CuResult {
    if config > 2 {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    resolve_function(f)?.attrs.lock().unwrap().shared_config = config;
    Ok(())
}

pub unsafe fn get_name(name: *mut *const c_char, f: CUfunction) -> CuResult {
    if name.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    *name = resolve_function(f)?.name.as_ptr();
    Ok(())
}

pub unsafe fn get_module(pmod: *mut CUmodule, f: CUfunction) -> CuResult {
    if pmod.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    *pmod = resolve_function(f)?.module.handle as CUmodule;
    Ok(())
}

pub const CU_FUNCTION_LOADED: c_uint = 1;

/// Functions are "loaded" once their module is (translation happens at first launch).
pub unsafe fn is_loaded(state: *mut c_uint, f: CUfunction) -> CuResult {
    if state.is_null() {
        return Err(CUDA_ERROR_INVALID_VALUE);
    }
    resolve_function(f)?;
    *state = CU_FUNCTION_LOADED;
    Ok(())
}

pub unsafe fn load_function(f: CUfunction) -> CuResult {
    resolve_function(f).map(|_| ())
}

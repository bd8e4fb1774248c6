//! `cuemu`: run CUDA programs on the CPU, and show what the emulated device looks like.
//!
//! - `cuemu run [--trace] -- PROGRAM [ARGS]`: runs PROGRAM with `LD_LIBRARY_PATH` pointing at
//!   the directory of our `libcuda.so.1` (next to this executable), so the program's cudart
//!   loads cuemu instead of NVIDIA's driver. The program's exit code is passed through.
//! - `cuemu info [-- PROGRAM [ARGS]]`: the emulated device(s), queried through our own driver
//!   in-process; with a program, then runs it as `run` does with `CUEMU_REPORT` pointing at a
//!   temporary file and prints the streams, graphs, memory pools and VMM reservations it
//!   created (`src/driver/report.rs`).
//! - `cuemu fatbin list FILE`: the PTX and ELF entries of the fatbins in FILE (an executable,
//!   shared library, object file, raw `.fatbin` or a cubin), line for line as `cuobjdump -lptx -lelf`
//!   prints them; `--verbose` adds every entry-header field.
//! - `cuemu fatbin extract FILE [--ptx|--elf] [-o DIR]`: writes each entry under the name
//!   `cuobjdump -xptx all` / `-xelf all` gives it, with the same bytes (decompressed PTX text
//!   without its NUL, cubins as stored).

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "cuemu", version, about = "Run unmodified CUDA programs on the CPU")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a CUDA program against cuemu's libcuda.so.1.
    Run {
        /// Log every driver call (sets CUEMU_LOG=trace unless CUEMU_LOG is set).
        #[arg(long)]
        trace: bool,
        /// Directory holding libcuda.so.1 (default: next to the cuemu executable).
        #[arg(long, value_name = "DIR")]
        lib_dir: Option<PathBuf>,
        /// The program and its arguments.
        #[arg(required = true, trailing_var_arg = true, allow_hyphen_values = true)]
        program: Vec<String>,
    },
    /// Describe the emulated device(s); with `-- PROGRAM [ARGS]`, run it and show the streams,
    /// graphs, memory pools and VMM reservations it created.
    Info {
        /// Directory holding libcuda.so.1 (default: next to the cuemu executable).
        #[arg(long, value_name = "DIR")]
        lib_dir: Option<PathBuf>,
        /// The program and its arguments.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        program: Vec<String>,
    },
    /// Show the on-disk kernel cache (compiled kernels' machine code, reused across runs:
    /// `$CUEMU_KERNEL_CACHE`, default ~/.cache/cuemu/kernels, bounded by
    /// `$CUEMU_KERNEL_CACHE_MAX`, default 2G); `--clear` empties it, `--trim` applies the bound.
    Cache {
        /// Delete every cached kernel.
        #[arg(long)]
        clear: bool,
        /// Remove the least recently used kernels until the cache is within its bound (every
        /// store does this by itself; useful after lowering the bound).
        #[arg(long, conflicts_with = "clear")]
        trim: bool,
    },
    /// Read the fatbins in a host binary (cuobjdump-compatible names and bytes).
    Fatbin {
        #[command(subcommand)]
        command: FatbinCommand,
    },
}

#[derive(Subcommand)]
enum FatbinCommand {
    /// List PTX and ELF entries as `cuobjdump -lptx -lelf FILE` does.
    List {
        /// Executable, shared library, object file, raw fatbin or cubin.
        file: PathBuf,
        /// Only PTX entries (`cuobjdump -lptx`).
        #[arg(long, conflicts_with = "elf")]
        ptx: bool,
        /// Only ELF entries (`cuobjdump -lelf`).
        #[arg(long)]
        elf: bool,
        /// Also read `__nv_relfatbin` next to `.nv_fatbin` (`cuobjdump -all`).
        #[arg(long)]
        all: bool,
        /// After each line: arch, compression, sizes, flags, code version, options.
        #[arg(short, long)]
        verbose: bool,
    },
    /// Write the entries to files named as `cuobjdump -xptx all` / `-xelf all` names them.
    Extract {
        /// Executable, shared library, object file, raw fatbin or cubin.
        file: PathBuf,
        /// Only PTX entries.
        #[arg(long, conflicts_with = "elf")]
        ptx: bool,
        /// Only ELF entries (cubins).
        #[arg(long)]
        elf: bool,
        /// Also read `__nv_relfatbin` next to `.nv_fatbin` (`cuobjdump -all`).
        #[arg(long)]
        all: bool,
        /// Output directory (default: the current directory, as cuobjdump).
        #[arg(short, long, value_name = "DIR", default_value = ".")]
        output: PathBuf,
    },
}

fn read_fatbins<'a>(path: &std::path::Path, bytes: &'a [u8], all: bool) -> Result<Vec<fatbin::Fatbin<'a>>, String> {
    // A cubin on its own: cuobjdump lists it as one ELF entry named after the file.
    if let Some(entry) = fatbin::standalone_cubin(&path.to_string_lossy(), bytes) {
        return Ok(vec![fatbin::Fatbin { version: 0, header_size: 0, payload_size: bytes.len() as u64, entries: vec![entry], bytes }]);
    }
    let r = if all { fatbin::all_fatbins_in_file(bytes) } else { fatbin::fatbins_in_file(bytes) };
    r.map_err(|e| format!("cuemu fatbin: {}: {e}", path.display()))
}

fn fatbin_command(cmd: FatbinCommand) -> ExitCode {
    let result = match cmd {
        FatbinCommand::List { file, ptx, elf, all, verbose } => fatbin_list(&file, ptx, elf, all, verbose),
        FatbinCommand::Extract { file, ptx, elf, all, output } => fatbin_extract(&file, ptx, elf, all, &output),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

/// (PTX wanted, ELF wanted) from `--ptx`/`--elf`: neither flag means both.
fn kinds(ptx: bool, elf: bool) -> (bool, bool) {
    if ptx || elf {
        (ptx, elf)
    } else {
        (true, true)
    }
}

fn wanted(kind: fatbin::EntryKind, (ptx, elf): (bool, bool)) -> bool {
    match kind {
        fatbin::EntryKind::Ptx => ptx,
        fatbin::EntryKind::Elf => elf,
        fatbin::EntryKind::Unknown(_) => false,
    }
}

fn fatbin_list(path: &std::path::Path, ptx: bool, elf: bool, all: bool, verbose: bool) -> Result<(), String> {
    use std::io::Write;
    let bytes = std::fs::read(path).map_err(|e| format!("cuemu fatbin: {}: {e}", path.display()))?;
    let fatbins = read_fatbins(path, &bytes, all)?;
    let want = kinds(ptx, elf);
    let name = path.to_string_lossy();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut listed = [0usize; 2];
    for f in fatbin::cuobjdump_files(&name, &fatbins) {
        if !wanted(f.entry.kind, want) {
            continue;
        }
        listed[(f.entry.kind == fatbin::EntryKind::Elf) as usize] += 1;
        let _ = writeln!(out, "{}", f.list_line());
        if verbose {
            let e = f.entry;
            let compression = match e.compression() {
                Some(c) => format!("{c:?} {} -> {} bytes", e.stored_size, e.uncompressed_size),
                None => format!("none, {} bytes", e.padded_size),
            };
            let _ = writeln!(
                out,
                "    arch {}  code version {}.{}  flags {:#x}  header {:#x}  padded {}  compression {compression}{}",
                e.arch_name(),
                e.code_version.0,
                e.code_version.1,
                e.flags,
                e.header_size,
                e.padded_size,
                if e.options.is_empty() { String::new() } else { format!("  options {:?}", e.options) },
            );
        }
    }
    drop(out);
    // cuobjdump's notes for absent kinds, on stderr as there.
    if want.0 && listed[0] == 0 {
        eprintln!("cuemu fatbin: no PTX file found in {name}");
    }
    if want.1 && listed[1] == 0 {
        eprintln!("cuemu fatbin: no ELF file found in {name}");
    }
    Ok(())
}

fn fatbin_extract(path: &std::path::Path, ptx: bool, elf: bool, all: bool, dir: &std::path::Path) -> Result<(), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cuemu fatbin: {}: {e}", path.display()))?;
    let fatbins = read_fatbins(path, &bytes, all)?;
    let want = kinds(ptx, elf);
    std::fs::create_dir_all(dir).map_err(|e| format!("cuemu fatbin: {}: {e}", dir.display()))?;
    let name = path.to_string_lossy();
    let mut written = 0;
    for f in fatbin::cuobjdump_files(&name, &fatbins) {
        if !wanted(f.entry.kind, want) {
            continue;
        }
        let data: Vec<u8> = match f.entry.kind {
            fatbin::EntryKind::Ptx => f.entry.ptx_text().map(String::into_bytes),
            _ => f.entry.data().map(|d| d.into_owned()),
        }
        .map_err(|e| format!("cuemu fatbin: {name}: {}: {e}", f.file_name))?;
        // Names can repeat (`-G` builds name entries after the source file): the last one
        // wins, as with cuobjdump.
        let out = dir.join(&f.file_name);
        std::fs::write(&out, data).map_err(|e| format!("cuemu fatbin: {}: {e}", out.display()))?;
        // cuobjdump's progress lines, on stdout as there.
        match f.entry.kind {
            fatbin::EntryKind::Ptx => println!(
                "Extracting PTX file and ptxas options {:4}: {} -arch=sm_{}{} {}",
                f.number,
                f.file_name,
                f.entry.arch,
                f.entry.arch_variant().suffix(),
                f.entry.options
            ),
            _ => println!("Extracting ELF file {:4}: {}", f.number, f.file_name),
        }
        written += 1;
    }
    if written == 0 {
        eprintln!("cuemu fatbin: nothing to extract from {name}");
    }
    Ok(())
}

fn lib_dir() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let dir = exe.parent()?.to_path_buf();
    // `cargo test`/`cargo run` put binaries in target/<profile>/ (examples/deps one level
    // deeper): look there and one level up.
    [dir.clone(), dir.parent()?.to_path_buf()].into_iter().find(|d| d.join("libcuda.so.1").exists())
}

fn run(trace: bool, dir: Option<PathBuf>, program: &[String]) -> ExitCode {
    run_with(trace, dir, program, &[])
}

fn run_with(trace: bool, dir: Option<PathBuf>, program: &[String], env: &[(&str, &std::ffi::OsStr)]) -> ExitCode {
    let Some(dir) = dir.or_else(lib_dir) else {
        eprintln!("cuemu: cannot find libcuda.so.1 next to the cuemu executable (build the library: cargo build --release)");
        return ExitCode::from(127);
    };
    let mut ld = dir.display().to_string();
    if let Ok(old) = std::env::var("LD_LIBRARY_PATH") {
        if !old.is_empty() {
            ld = format!("{ld}:{old}");
        }
    }
    let mut cmd = std::process::Command::new(&program[0]);
    cmd.args(&program[1..]).env("LD_LIBRARY_PATH", ld);
    if trace && std::env::var_os("CUEMU_LOG").is_none() {
        cmd.env("CUEMU_LOG", "trace");
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    match cmd.status() {
        Ok(status) => {
            use std::os::unix::process::ExitStatusExt;
            if let Some(code) = status.code() {
                ExitCode::from(code as u8)
            } else {
                let sig = status.signal().unwrap_or(0);
                eprintln!("cuemu: {} killed by signal {sig}", program[0]);
                ExitCode::from((128 + sig) as u8)
            }
        }
        Err(e) => {
            eprintln!("cuemu: cannot run {}: {e}", program[0]);
            ExitCode::from(127)
        }
    }
}

fn human_bytes(b: usize) -> String {
    let gib = b as f64 / (1u64 << 30) as f64;
    if gib >= 1.0 {
        format!("{gib:.1} GiB")
    } else {
        format!("{:.1} MiB", b as f64 / (1u64 << 20) as f64)
    }
}

fn info() -> ExitCode {
    use cuda::api::CUuuid;
    use cuda::driver::device;
    use std::ffi::{c_char, c_int, CStr};
    cuda::driver::init_in_process();
    let mut version: c_int = 0;
    let mut count: c_int = 0;
    unsafe {
        let _ = cuda::driver::driver_get_version(&mut version);
        let _ = device::get_count(&mut count);
    }
    println!("cuemu {} — CUDA driver emulator", env!("CARGO_PKG_VERSION"));
    println!("Driver version:      {}.{} ({version})", version / 1000, (version % 1000) / 10);
    println!("Executor:            LLVM JIT of PTX, a warp = one 32-lane vector; blocks on {} host threads", rayon::current_num_threads());
    println!("Devices:             {count}");
    for dev in 0..count {
        let mut name = [0 as c_char; 256];
        let mut uuid = CUuuid::default();
        let mut bus = [0 as c_char; 32];
        let attr = |a: c_int| -> c_int {
            let mut v = 0;
            unsafe {
                let _ = device::get_attribute(&mut v, a, dev);
            }
            v
        };
        let mut total: usize = 0;
        unsafe {
            let _ = device::get_name(name.as_mut_ptr(), 256, dev);
            let _ = device::get_uuid(&mut uuid, dev);
            let _ = device::get_pci_bus_id(bus.as_mut_ptr(), 32, dev);
            let _ = device::total_mem(&mut total, dev);
        }
        let name = unsafe { CStr::from_ptr(name.as_ptr()) }.to_string_lossy();
        let bus = unsafe { CStr::from_ptr(bus.as_ptr()) }.to_string_lossy();
        let u = uuid.bytes;
        println!();
        println!("Device {dev}: {name}");
        println!("  Compute capability:        {}.{}  (override: CUEMU_COMPUTE_CAPABILITY=MAJOR.MINOR)", attr(75), attr(76));
        println!("  Total memory:              {} (host RAM)", human_bytes(total));
        println!("  Multiprocessors:           {} (one per executor thread)", attr(16));
        println!("  Clock rate:                {} MHz", attr(13) / 1000);
        println!("  Warp size:                 {}", attr(10));
        println!("  Max threads per block:     {}", attr(1));
        println!("  Max block dims:            {} x {} x {}", attr(2), attr(3), attr(4));
        println!("  Max grid dims:             {} x {} x {}", attr(5), attr(6), attr(7));
        println!("  Shared memory per block:   {} KiB ({} KiB opt-in)", attr(8) / 1024, attr(97) / 1024);
        println!("  Shared memory per SM:      {} KiB", attr(81) / 1024);
        println!("  Threads per SM:            {} ({} blocks max)", attr(39), attr(106));
        println!("  Registers per block:       {}", attr(12));
        println!("  L2 cache (host LLC):       {} KiB", attr(38) / 1024);
        println!("  Unified addressing:        {}   managed memory: {}   pageable access: {}", attr(41), attr(83), attr(88));
        println!("  Cooperative launch:        {}   VMM: {}   memory pools: {}", attr(95), attr(102), attr(115));
        println!("  PCI bus id:                {bus}");
        println!(
            "  UUID:                      GPU-{}-{}-{}-{}-{}",
            hex(&u[0..4]),
            hex(&u[4..6]),
            hex(&u[6..8]),
            hex(&u[8..10]),
            hex(&u[10..16])
        );
    }
    ExitCode::SUCCESS
}

/// `cuemu info -- PROGRAM`: runs it with `CUEMU_REPORT` set to a temporary file, then prints
/// that report after the device table.
fn info_program(dir: Option<PathBuf>, program: &[String]) -> ExitCode {
    let path = std::env::temp_dir().join(format!("cuemu-report-{}.txt", std::process::id()));
    let _ = std::fs::remove_file(&path);
    println!();
    println!("Running: {}", program.join(" "));
    use std::io::Write;
    let _ = std::io::stdout().flush();
    let code = run_with(false, dir, program, &[("CUEMU_REPORT", path.as_os_str())]);
    println!();
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            print!("{text}");
            let _ = std::fs::remove_file(&path);
        }
        Err(_) => println!("(no report: {} did not load cuemu's libcuda.so.1, or did not exit normally)", program[0]),
    }
    code
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn main() -> ExitCode {
    // The programs we run write the CUEMU_REPORT summary; this process must not overwrite it.
    cuda::driver::report::disable();
    let cli = Cli::parse();
    match cli.command {
        Command::Run { trace, lib_dir, program } => run(trace, lib_dir, &program),
        Command::Info { lib_dir, program } => {
            let code = info();
            if program.is_empty() {
                code
            } else {
                info_program(lib_dir, &program)
            }
        }
        Command::Fatbin { command } => fatbin_command(command),
        Command::Cache { clear, trim } => cache(clear, trim),
    }
}

fn cache(clear: bool, trim: bool) -> ExitCode {
    let Some(dir) = cuda::exec::compile::kernel_cache_dir() else {
        println!("kernel cache: off (CUEMU_KERNEL_CACHE=off)");
        return ExitCode::SUCCESS;
    };
    let objects: Vec<(PathBuf, u64)> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter(|e| e.path().extension().is_some_and(|x| x == "o"))
                .map(|e| (e.path(), e.metadata().map_or(0, |m| m.len())))
                .collect()
        })
        .unwrap_or_default();
    let bytes: u64 = objects.iter().map(|(_, n)| n).sum();
    let max = cuda::exec::compile::kernel_cache_max();
    let bound = match max {
        Some(m) => format!("bound {:.1} MB, least recently used out", m as f64 / 1e6),
        None => "unbounded".to_string(),
    };
    println!("kernel cache: {} ({} kernels, {:.1} MB; {bound})", dir.display(), objects.len(), bytes as f64 / 1e6);
    if trim {
        let (n, b) = max.map_or((0, 0), cuda::exec::compile::kernel_cache_trim);
        println!("trimmed: {n} kernels removed ({:.1} MB)", b as f64 / 1e6);
    }
    if clear {
        let mut failed = 0;
        for (p, _) in &objects {
            if std::fs::remove_file(p).is_err() {
                failed += 1;
            }
        }
        println!("cleared: {} kernels removed{}", objects.len() - failed, if failed > 0 { format!(", {failed} could not be") } else { String::new() });
        if failed > 0 {
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}

//! Cooperative launches (cooperative_groups `this_grid().sync()`): the CUDA source is
//! cooperative.cu. A grid barrier needs every block resident: a cooperative launch runs the
//! grid's CTAs as one coroutine group; an ordinary launch has a grid workspace that is valid
//! to `is_valid()` (as on an H100) but faults on a barrier, with a message that says why.

use super::*;

const COOPERATIVE: &str = include_str!("cooperative.ptx");

fn launch(m: &Arc<ModuleImage>, blocks: u32, cooperative: bool, slots: &mut [i32], seen: &mut [i32], valid: &mut i32) -> Result<(), LaunchError> {
    let mut args = Vec::new();
    for p in [slots.as_mut_ptr() as u64, seen.as_mut_ptr() as u64, valid as *mut i32 as u64] {
        args.extend_from_slice(&p.to_le_bytes());
    }
    let cfg = LaunchConfig { grid: [blocks, 1, 1], block: [96, 1, 1], dynamic_shared_bytes: 0 };
    m.launch_in_clusters("neighbours", cfg, ClusterShape { cooperative, ..ClusterShape::NONE }, &args)
}

#[test]
fn grid_sync_in_a_cooperative_launch() {
    let m = ModuleImage::load_ptx(COOPERATIVE).unwrap();
    for blocks in [1u32, 2, 7, 40] {
        let (mut slots, mut seen, mut valid) = (vec![0; blocks as usize], vec![0; blocks as usize], 0);
        launch(&m, blocks, true, &mut slots, &mut seen, &mut valid).unwrap();
        assert_eq!(valid, 1);
        for b in 0..blocks {
            assert_eq!(seen[b as usize], ((b + 1) % blocks + 1) as i32, "block {b} of {blocks} saw its neighbour's write");
        }
    }
}

#[test]
fn grid_sync_in_an_ordinary_launch_is_a_clean_fault() {
    let m = ModuleImage::load_ptx(COOPERATIVE).unwrap();
    let (mut slots, mut seen, mut valid) = (vec![0; 4], vec![0; 4], 0);
    match launch(&m, 4, false, &mut slots, &mut seen, &mut valid) {
        Err(LaunchError::IllegalAddress(msg)) => assert!(msg.contains("not cooperative"), "{msg}"),
        other => panic!("expected an illegal-address fault, got {other:?}"),
    }
    assert_eq!(valid, 1, "is_valid() is true in an ordinary launch, as on an H100");
}

/// Programmatic dependent launch (`cudaGridDependencySynchronize()` /
/// `cudaTriggerProgrammaticLaunchCompletion()`, PTX `griddepcontrol`): launches of a stream
/// run to completion in order, so both are no-ops, and a kernel using them runs.
#[test]
fn griddepcontrol_runs() {
    let ptx = r#"
.version 8.0
.target sm_90
.address_size 64
.visible .entry pdl(.param .u64 out)
{
    .reg .b32 %r<2>;
    .reg .b64 %rd<4>;
    griddepcontrol.wait;
    ld.param.u64 %rd1, [out];
    mov.u32 %r1, %tid.x;
    mul.wide.u32 %rd2, %r1, 4;
    add.s64 %rd3, %rd1, %rd2;
    st.global.u32 [%rd3], %r1;
    griddepcontrol.launch_dependents;
    ret;
}
"#;
    let m = ModuleImage::load_ptx(ptx).unwrap();
    let mut out = vec![u32::MAX; 64];
    m.launch("pdl", LaunchConfig { grid: [1, 1, 1], block: [64, 1, 1], dynamic_shared_bytes: 0 }, &(out.as_mut_ptr() as u64).to_le_bytes()).unwrap();
    assert!(out.iter().enumerate().all(|(i, &v)| v == i as u32), "{out:?}");
}

//! How the program is linked (.cargo/config.toml): on glibc Linux, statically and
//! position-independent, so a start maps one file and relocates it itself, and the
//! kernel still places it at a random address (BENCHMARKS.md, issue 26).

/// The ELF program header types this test looks for (elf.h).
const PT_DYNAMIC: u32 = 2;
const PT_INTERP: u32 = 3;
/// `e_type` of a position-independent executable.
const ET_DYN: u16 = 3;

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes(b[at..at + 2].try_into().unwrap())
}

#[cfg(all(target_os = "linux", target_env = "gnu", target_arch = "x86_64"))]
#[test]
fn the_program_needs_no_dynamic_loader_and_keeps_a_random_address() {
    let exe = std::fs::read(env!("CARGO_BIN_EXE_ssm-profile")).unwrap();
    assert_eq!(&exe[..4], b"\x7fELF");
    assert_eq!(exe[4], 2, "a 64-bit ELF file");
    let phoff = u64::from_le_bytes(exe[0x20..0x28].try_into().unwrap()) as usize;
    let (phentsize, phnum) = (u16_at(&exe, 0x36) as usize, u16_at(&exe, 0x38) as usize);
    let types: Vec<u32> = (0..phnum)
        .map(|i| {
            let at = phoff + i * phentsize;
            u32::from_le_bytes(exe[at..at + 4].try_into().unwrap())
        })
        .collect();
    assert!(
        !types.contains(&PT_INTERP),
        "the program names a dynamic loader: it was not linked statically \
         (.cargo/config.toml's flags, which RUSTFLAGS in the environment replaces)"
    );
    assert_eq!(
        u16_at(&exe, 0x10),
        ET_DYN,
        "not position-independent: the kernel would load it at a fixed address"
    );
    assert!(
        types.contains(&PT_DYNAMIC),
        "a static-pie keeps its dynamic section to relocate itself"
    );
}

/// The allocator is built to read none of its options from the environment
/// (`MI_NO_GETENV`, .cargo/config.toml): asked to report itself on stderr, it says
/// nothing, and the program's output is its own.
#[test]
fn the_allocator_reads_no_option_from_the_environment() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ssm-profile"))
        .arg("--version")
        .env("MIMALLOC_VERBOSE", "1")
        .env("MIMALLOC_SHOW_STATS", "1")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "",
        "mimalloc read MIMALLOC_VERBOSE: it was built without .cargo/config.toml's \
         CFLAGS (a CFLAGS in the environment replaces it)"
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("ssm-profile "));
}

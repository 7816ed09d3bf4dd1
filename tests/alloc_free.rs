//! Validation of valid payloads does not allocate once a `Validator`'s buffers are warm: a
//! counting global allocator (this test binary's own) measures it for each profile.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use qrcert::Profile;
use qrcert::rules::validator::{Options, Validator};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator unchanged; only counts calls.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, passed through.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System.alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: as for `realloc` on the system allocator.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const EMVCO: &str = "00020101021126340018com.example.qrcert0108ACCT00015204599953038405802US5916QRCERT SYNTHETIC6009TESTVILLE63046373";
const KHQR_STATIC: &str = "00020101021129160012demo@sandbox5204599953031165802KH5915Demo Noodle Bar6010Battambang6304C0F7";
const KHQR_DYNAMIC: &str = "00020101021230420012demo@sandbox0106M-00420212Sandbox Bank52045812530384054042.505802KH5915Demo Noodle Bar6010Battambang62200106INV-770706TILL-264310002km0109ហាងគុយទាវ0208បាត់ដំបង993400131780000000000011317800009000006304AD78";
const JPQR_STATIC: &str = "00020101021126680019jp.or.paymentsjapan0113000000012345602040002030600001004060000035204581253033925802JP5916SAKURA TEST CAFE6010SHIBUYA-KU6107150000264190002JA0109さくらテストカフェ63044F8B";
const JPQR_DYNAMIC: &str = "00020101021226680019jp.or.paymentsjapan011300000001234560204000203060000100406000003520458125303392540415005802JP5916SAKURA TEST CAFE6010SHIBUYA-KU6107150000264190002JA0109さくらテストカフェ63046C0C";

#[test]
fn valid_payloads_validate_without_allocating() {
    let cases = [
        (EMVCO, Some(Profile::Emvco)),
        (KHQR_STATIC, Some(Profile::Khqr)),
        (KHQR_DYNAMIC, Some(Profile::Khqr)),
        (JPQR_STATIC, Some(Profile::Jpqr)),
        (JPQR_DYNAMIC, Some(Profile::Jpqr)),
        (KHQR_DYNAMIC, None),
        (JPQR_STATIC, None),
        (KHQR_DYNAMIC, Some(Profile::Interop)),
    ];
    let mut v = Validator::new();
    for (payload, profile) in cases {
        let options = Options {
            profile,
            now_ms: Some(1_780_000_900_000),
            ..Options::default()
        };
        // Warm the buffers.
        for _ in 0..3 {
            assert!(v.check(payload, &options).unwrap().valid);
        }
        let before = ALLOCATIONS.load(Ordering::Relaxed);
        for _ in 0..10 {
            let valid = v.check(payload, &options).map(|r| r.valid).unwrap_or(false);
            assert!(valid);
        }
        let after = ALLOCATIONS.load(Ordering::Relaxed);
        assert_eq!(
            after - before,
            0,
            "{profile:?} allocates validating {payload}"
        );
    }
}

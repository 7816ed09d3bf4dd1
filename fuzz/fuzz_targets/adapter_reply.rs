//! Any bytes as an adapter reply line (for every op) and as a request line: never a panic; a
//! reply the decoder accepts carries the expected id, and a request that reads re-serialises to
//! a line that reads back to the same request.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qrcert::adapter::protocol::{OpKind, ReplyId, Request, decode_reply, probe_reply_id};

fuzz_target!(|data: &[u8]| {
    let probed = probe_reply_id(data);
    for op in OpKind::ALL {
        let expected = match &probed {
            Ok(ReplyId::Id(id)) => *id,
            _ => 7,
        };
        match decode_reply(data, expected, op) {
            Ok(Ok(reply)) => {
                assert_eq!(reply.kind(), op);
                // Only a line whose id probes to the expected one can decode.
                assert_eq!(probed, Ok(ReplyId::Id(expected)));
            }
            Ok(Err(_impl_error)) => assert_eq!(probed, Ok(ReplyId::Id(expected))),
            Err(fault) => assert!(!fault.to_string().is_empty()),
        }
    }
    if let Ok(req) = Request::from_json(data) {
        let again = Request::from_json(&req.to_json()).expect("a request we wrote reads back");
        assert_eq!(again, req);
    }
});

//! Reading request bodies with a limit, for every route that takes one (orders, the reseller
//! API, the console's forms, the staff API and the signed callback).
//!
//! Rules: a declared `Content-Length` over the limit is refused before anything is read; any
//! other body (chunked, or a length that lies) is read from the stream chunk by chunk with a
//! running count. Once the count passes the limit nothing more is kept; the rest is read and
//! dropped only while it stays within [`DRAIN_MAX`] (so a client that sent a little too much
//! gets the answer rather than a reset), and a larger body is left unread. An oversized body is
//! never held, nor read whole (issue 19).
//!
//! Errors: [`TooLarge`] (the caller answers 413 `body_too_large` in its own shape).

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use worker::{Error, Request, Result};

fn js_error(error: wasm_bindgen::JsValue) -> Error {
    Error::RustError(format!("reading the request body: {error:?}"))
}

// The dev-tools build remembers how much the last limited read took in (`GET /dev/body`), so a
// test can show that an oversized stream was not read whole whatever the dev proxy answers.
#[cfg(feature = "dev-tools")]
thread_local! {
    static LAST_READ: std::cell::Cell<(u64, bool)> = const { std::cell::Cell::new((0, false)) };
}

/// Bytes the last limited read took in (kept or dropped), and whether it refused the body
/// (dev-tools only).
#[cfg(feature = "dev-tools")]
pub fn last_read() -> (u64, bool) {
    LAST_READ.with(|cell| cell.get())
}

fn note(_bytes: usize, _refused: bool) {
    #[cfg(feature = "dev-tools")]
    LAST_READ.with(|cell| cell.set((_bytes as u64, _refused)));
}

/// How much of an oversized body is read past the limit (and dropped) before reading stops.
pub const DRAIN_MAX: usize = 256 * 1024;

/// The body was larger than the limit; nothing more of it is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooLarge {
    pub limit: usize,
}

impl TooLarge {
    /// "The request body is larger than 16 KiB (16384 bytes)."
    pub fn message(self) -> String {
        format!(
            "The request body is larger than {} KiB ({} bytes); send at most that.",
            self.limit / 1024,
            self.limit
        )
    }
}

/// Reads the body of `req`, at most `limit` bytes.
pub async fn read_limited(
    req: &mut Request,
    limit: usize,
) -> Result<std::result::Result<Vec<u8>, TooLarge>> {
    let declared = req
        .headers()
        .get("content-length")?
        .and_then(|value| value.trim().parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        note(0, true);
        return Ok(Err(TooLarge { limit }));
    }
    let Some(stream) = req.inner().body() else {
        return Ok(Ok(Vec::new()));
    };
    let reader: web_sys::ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut body = Vec::with_capacity(declared.map_or(0, |length| length as usize));
    loop {
        let result = JsFuture::from(reader.read()).await.map_err(js_error)?;
        let done = js_sys::Reflect::get(&result, &"done".into())
            .map_err(js_error)?
            .as_bool()
            .unwrap_or(true);
        if done {
            break;
        }
        let chunk = js_sys::Uint8Array::new(
            &js_sys::Reflect::get(&result, &"value".into()).map_err(js_error)?,
        );
        let length = chunk.length() as usize;
        if body.len() + length > limit {
            // Nothing more is kept. A body only a little too large is read to its end and
            // dropped (at most DRAIN_MAX bytes), so its sender gets the answer; a larger one is
            // left unread.
            let mut discarded = length;
            while discarded <= DRAIN_MAX {
                let result = JsFuture::from(reader.read()).await.map_err(js_error)?;
                if js_sys::Reflect::get(&result, &"done".into())
                    .map_err(js_error)?
                    .as_bool()
                    .unwrap_or(true)
                {
                    break;
                }
                discarded += js_sys::Reflect::get(&result, &"value".into())
                    .map(|value| js_sys::Uint8Array::new(&value).length() as usize)
                    .unwrap_or(0);
            }
            reader.release_lock();
            note(body.len() + discarded, true);
            return Ok(Err(TooLarge { limit }));
        }
        let start = body.len();
        body.resize(start + length, 0);
        if let Some(slot) = body.get_mut(start..) {
            chunk.copy_to(slot);
        }
    }
    note(body.len(), false);
    Ok(Ok(body))
}

//! The browser side: the shared core exported to JavaScript with wasm-bindgen.

//! Writes a text stream into one R2 object without holding it all: chunks are buffered to
//! [`PART_SIZE`] and sent as multipart-upload parts; an object smaller than one part is one
//! plain `put`.

use worker::{Bucket, MultipartUpload, Result, UploadedPart};

/// R2 wants every part but the last of one size, at least 5 MiB (local R2 checks it too);
/// the smallest allowed keeps the buffer small.
const PART_SIZE: usize = 5 * 1024 * 1024;

pub struct R2Sink {
    bucket: Bucket,
    key: String,
    buffer: Vec<u8>,
    upload: Option<MultipartUpload>,
    parts: Vec<UploadedPart>,
    bytes: u64,
}

impl R2Sink {
    pub fn new(bucket: Bucket, key: impl Into<String>) -> Self {
        R2Sink {
            bucket,
            key: key.into(),
            buffer: Vec::new(),
            upload: None,
            parts: Vec::new(),
            bytes: 0,
        }
    }

    pub async fn write(&mut self, text: &str) -> Result<()> {
        self.buffer.extend_from_slice(text.as_bytes());
        self.bytes += text.len() as u64;
        while self.buffer.len() >= PART_SIZE {
            let rest = self.buffer.split_off(PART_SIZE);
            let part = std::mem::replace(&mut self.buffer, rest);
            self.send_part(part).await?;
        }
        Ok(())
    }

    async fn send_part(&mut self, part: Vec<u8>) -> Result<()> {
        if self.upload.is_none() {
            self.upload = Some(
                self.bucket
                    .create_multipart_upload(&self.key)
                    .execute()
                    .await?,
            );
        }
        let number = u16::try_from(self.parts.len() + 1)
            .map_err(|_| worker::Error::RustError("object too large for R2".into()))?;
        if let Some(upload) = &self.upload {
            self.parts.push(upload.upload_part(number, part).await?);
        }
        Ok(())
    }

    /// Stores what is left and completes the object; returns its size in bytes.
    pub async fn finish(mut self) -> Result<u64> {
        let rest = std::mem::take(&mut self.buffer);
        match self.upload.take() {
            None => {
                self.bucket.put(&self.key, rest).execute().await?;
            }
            Some(upload) => {
                if !rest.is_empty() {
                    let number = u16::try_from(self.parts.len() + 1)
                        .map_err(|_| worker::Error::RustError("object too large for R2".into()))?;
                    self.parts.push(upload.upload_part(number, rest).await?);
                }
                upload.complete(self.parts).await?;
            }
        }
        Ok(self.bytes)
    }

    /// Gives up: a started multipart upload is aborted so no part lingers.
    pub async fn abort(self) {
        if let Some(upload) = self.upload {
            if let Err(error) = upload.abort().await {
                worker::console_warn!("aborting an R2 upload failed: {error}");
            }
        }
    }
}

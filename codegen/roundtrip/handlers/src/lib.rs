//! Handlers of the constructs fixture service (`../constructs.yaml`): each
//! answers with what its typed request held, as JSON (or in the media type
//! the request asks for), so that the round-trip tests can see what the
//! generated adapter read.

use constructs_server::types::{Echo, GetReportAccepted};
use constructs_server::*;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::Mutex;

/// The service: stores blobs, echoes everything else.
#[derive(Debug, Default)]
pub struct Constructs {
    blobs: Mutex<HashMap<String, Vec<u8>>>,
}

fn echo(value: Value) -> Echo {
    match value {
        Value::Object(map) => Echo(map),
        other => Echo(Map::from_iter([("value".to_owned(), other)])),
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

impl GetThing for Constructs {
    async fn get_thing(&self, r: GetThingRequest) -> Result<GetThingResponse, GetThingError> {
        Ok(echo(json!({
            "thingId": r.thing_id.as_str(),
            "tags": to_json(&r.tags),
            "filter": to_json(&r.filter),
            "mode": to_json(&r.mode),
            "amount": to_json(&r.amount),
            "where": to_json(&r.where_),
            "xTrace": to_json(&r.x_trace),
            "session": to_json(&r.session),
        }))
        .into())
    }
}

impl DeleteThing for Constructs {
    async fn delete_thing(
        &self,
        _: DeleteThingRequest,
    ) -> Result<DeleteThingResponse, DeleteThingError> {
        Ok(DeleteThingResponse::Default { status: 204 })
    }
}

impl ListParts for Constructs {
    async fn list_parts(&self, r: ListPartsRequest) -> Result<ListPartsResponse, ListPartsError> {
        Ok(echo(json!({
            "id": r.id,
            "request": r.request,
            "meta": r.meta_query,
            "body": r.body_query,
            "self": r.self_,
            "type": r.type_,
            "x-id": r.x_id,
            "x_id": r.x_id_query,
        }))
        .into())
    }
}

impl GetFile for Constructs {
    async fn get_file(&self, r: GetFileRequest) -> Result<GetFileResponse, GetFileError> {
        let name = r.name.to_string();
        let body = match r.ext.to_string().as_str() {
            "json" => GetFileOkBody::ApplicationJson(echo(json!({"name": name}))),
            "txt" => GetFileOkBody::TextPlain(format!("file {name}")),
            _ => GetFileOkBody::ApplicationOctetStream(name.into_bytes()),
        };
        Ok(GetFileResponse::Ok(body))
    }
}

impl CreateNote for Constructs {
    async fn create_note(
        &self,
        r: CreateNoteRequest,
    ) -> Result<CreateNoteResponse, CreateNoteError> {
        let note = match r.body {
            CreateNoteBody::ApplicationJson(note) => note,
            CreateNoteBody::ApplicationXWwwFormUrlencoded(mut note) => {
                // Which reader ran shows in the answer.
                note.pinned = Some(note.pinned.unwrap_or(false));
                note
            }
            CreateNoteBody::TextPlain(text) => {
                let text = text.as_str().try_into().map_err(|_| {
                    CreateNoteError::BadRequest(Problem::new("VALIDATION_FAILED", "text too long"))
                })?;
                types::Note {
                    text,
                    pinned: None,
                    stars: None,
                }
            }
        };
        Ok(CreateNoteResponse::Created(note))
    }
}

impl PutBlob for Constructs {
    async fn put_blob(&self, r: PutBlobRequest) -> Result<PutBlobResponse, PutBlobError> {
        if let Ok(mut blobs) = self.blobs.lock() {
            blobs.insert(r.blob_id, r.body);
        }
        Ok(PutBlobResponse::NoContent)
    }
}

impl GetBlob for Constructs {
    async fn get_blob(&self, r: GetBlobRequest) -> Result<GetBlobResponse, GetBlobError> {
        let bytes = self
            .blobs
            .lock()
            .ok()
            .and_then(|b| b.get(&r.blob_id).cloned())
            .unwrap_or_default();
        Ok(bytes.into())
    }
}

impl Upload for Constructs {
    async fn upload(&self, r: UploadRequest) -> Result<UploadResponse, UploadError> {
        let parts: Vec<Value> = r
            .body
            .parts
            .iter()
            .map(|p| {
                json!({
                    "name": p.name,
                    "fileName": p.file_name,
                    "contentType": p.content_type,
                    "bytes": p.bytes.len(),
                })
            })
            .collect();
        Ok(echo(json!({ "parts": parts })).into())
    }
}

impl GetReport for Constructs {
    async fn get_report(&self, r: GetReportRequest) -> Result<GetReportResponse, GetReportError> {
        match r.format.to_string().as_str() {
            "html" => Ok(GetReportResponse::Ok("<p>report</p>".to_owned())),
            _ => Ok(GetReportResponse::Accepted(GetReportAccepted {
                progress: 40,
            })),
        }
    }
}

impl CreateShape for Constructs {
    async fn create_shape(
        &self,
        r: CreateShapeRequest,
    ) -> Result<CreateShapeResponse, CreateShapeError> {
        Ok(r.body.into())
    }
}

impl GetLabels for Constructs {
    async fn get_labels(&self, r: GetLabelsRequest) -> Result<GetLabelsResponse, GetLabelsError> {
        Ok(echo(json!({ "ids": r.ids })).into())
    }
}

//! libyaml's event parser over a string (through `libyaml-rs`, the parser
//! yaml_serde uses, so positions agree with serde's), and where it stopped when
//! the text is not YAML.

use std::mem::MaybeUninit;

use libyaml_rs as sys;

use crate::diag::Position;

pub(crate) use sys::{
    YAML_ALIAS_EVENT, YAML_DOCUMENT_END_EVENT, YAML_DOCUMENT_START_EVENT, YAML_MAPPING_END_EVENT,
    YAML_MAPPING_START_EVENT, YAML_SCALAR_EVENT, YAML_SEQUENCE_END_EVENT, YAML_SEQUENCE_START_EVENT,
    YAML_STREAM_END_EVENT, YAML_STREAM_START_EVENT,
};

/// Where the parser found the text not to be YAML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stop {
    /// Where the problem was found (1-based), and its byte offset.
    pub at: Position,
    pub offset: usize,
    /// Where the construct being read began (a quoted text, a key, a list), if known.
    pub context: Option<(Position, usize)>,
    /// The parser's own words, shown only when nothing better can be said.
    pub words: String,
}

/// libyaml's event parser over a string, freed on drop.
pub(crate) struct Parser<'t> {
    sys: Box<MaybeUninit<sys::yaml_parser_t>>,
    _text: std::marker::PhantomData<&'t str>,
}

/// An event, deleted on drop.
pub(crate) struct OwnedEvent(sys::yaml_event_t);

impl std::ops::Deref for OwnedEvent {
    type Target = sys::yaml_event_t;
    fn deref(&self) -> &sys::yaml_event_t {
        &self.0
    }
}

impl Drop for OwnedEvent {
    fn drop(&mut self) {
        // SAFETY: the event was filled by a successful yaml_parser_parse.
        unsafe { sys::yaml_event_delete(&mut self.0) }
    }
}

impl OwnedEvent {
    /// Where the event starts (1-based).
    pub(crate) fn at(&self) -> Position {
        position(&self.start_mark)
    }

    /// Whether the node carries an anchor or a tag (which the callers do not follow).
    pub(crate) fn has_anchor_or_tag(&self) -> bool {
        // SAFETY: the union member read is the one of the event's type.
        unsafe {
            match self.type_ {
                sys::YAML_SCALAR_EVENT => !self.data.scalar.anchor.is_null() || !self.data.scalar.tag.is_null(),
                sys::YAML_MAPPING_START_EVENT => {
                    !self.data.mapping_start.anchor.is_null() || !self.data.mapping_start.tag.is_null()
                }
                sys::YAML_SEQUENCE_START_EVENT => {
                    !self.data.sequence_start.anchor.is_null() || !self.data.sequence_start.tag.is_null()
                }
                _ => false,
            }
        }
    }

    /// A scalar event's text (only for scalar events).
    pub(crate) fn scalar_text(&self) -> String {
        debug_assert_eq!(self.type_, sys::YAML_SCALAR_EVENT);
        // SAFETY: a scalar event's value points to `length` bytes owned by the event.
        let bytes = unsafe { std::slice::from_raw_parts(self.data.scalar.value, self.data.scalar.length as usize) };
        String::from_utf8_lossy(bytes).into_owned()
    }

    /// Whether a scalar event was written plain (not quoted, not a block scalar).
    pub(crate) fn is_plain(&self) -> bool {
        // SAFETY: read only for scalar events, whose union member is `scalar`.
        self.type_ == sys::YAML_SCALAR_EVENT && unsafe { self.data.scalar.style } == sys::YAML_PLAIN_SCALAR_STYLE
    }
}

fn position(mark: &sys::yaml_mark_t) -> Position {
    Position::new(mark.line as usize + 1, mark.column as usize + 1)
}

impl<'t> Parser<'t> {
    pub(crate) fn new(text: &'t str) -> Option<Parser<'t>> {
        let mut sys = Box::new(MaybeUninit::<sys::yaml_parser_t>::uninit());
        // SAFETY: initialize fills the parser; the input outlives it (the lifetime 't).
        unsafe {
            let p = sys.as_mut_ptr();
            if !sys::yaml_parser_initialize(p).ok {
                return None;
            }
            sys::yaml_parser_set_encoding(p, sys::YAML_UTF8_ENCODING);
            sys::yaml_parser_set_input_string(p, text.as_ptr(), text.len() as _);
        }
        Some(Parser {
            sys,
            _text: std::marker::PhantomData,
        })
    }

    /// The next event, or where the text stops being YAML.
    pub(crate) fn next(&mut self) -> Result<OwnedEvent, Stop> {
        let mut event = MaybeUninit::<sys::yaml_event_t>::uninit();
        // SAFETY: the parser is initialised; on success the event is filled.
        unsafe {
            let p = self.sys.as_mut_ptr();
            if (&(*p)).error != sys::YAML_NO_ERROR || !sys::yaml_parser_parse(p, event.as_mut_ptr()).ok {
                return Err(self.stop());
            }
            Ok(OwnedEvent(event.assume_init()))
        }
    }

    fn stop(&self) -> Stop {
        // SAFETY: the parser is initialised; `problem` and `context` are null or
        // static C strings set by libyaml with the error.
        let p = unsafe { &*self.sys.as_ptr() };
        let words = |s: *const std::ffi::c_char| {
            (!s.is_null()).then(|| unsafe { std::ffi::CStr::from_ptr(s) }.to_string_lossy().into_owned())
        };
        let problem = words(p.problem).unwrap_or_default();
        let context = words(p.context);
        let has_context = context.is_some() && p.context_mark.line <= p.problem_mark.line;
        Stop {
            at: position(&p.problem_mark),
            offset: p.problem_mark.index as usize,
            context: has_context.then(|| (position(&p.context_mark), p.context_mark.index as usize)),
            words: match context {
                Some(c) => format!("{problem}, {c}"),
                None => problem,
            },
        }
    }
}

impl Drop for Parser<'_> {
    fn drop(&mut self) {
        // SAFETY: the parser was initialised in `new`.
        unsafe { sys::yaml_parser_delete(self.sys.as_mut_ptr()) }
    }
}

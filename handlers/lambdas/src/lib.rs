//! One lean Lambda binary per operation.

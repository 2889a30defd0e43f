//! Each check of the verdict triggered by a small constructed case, and not by its healthy twin.

"""What outlives a visit to another page: the kept widget values of the map and import pages, and the upload."""

from __future__ import annotations

import streamlit as st

# Widget keys whose values outlive a visit to another page. Streamlit drops the state of every widget that a run
# does not draw, so the map's filters (f_*) and the import page's choices and batch form (imp_*) would be lost
# on a round trip through the sidebar. Each page copies its widgets' values to a plain key when it ends and puts
# back the dropped ones when it starts (docs.streamlit.io, "Widget behavior": save widget values in Session
# State to keep them between pages; re-saving the widget keys themselves on every page did not bring the
# multiselect's value back to its widget in 1.67, and nothing can be read after st.stop()). Left out: what Session State may not set (the
# file uploader, the grids' selections, the admin token in its form).
KEPT_PREFIXES = {"map": ("f_",), "import": ("imp_",)}  # page (url_path) → prefixes of the widget keys it draws
NOT_SETTABLE = frozenset({"imp_file", "imp_preview", "imp_token"})
_KEPT_WIDGETS = "_kept_widget_values"
KEPT_UPLOAD = "_imp_kept_upload"
_RETURNED = "_imp_kept_shown"


def restore_widget_state(page: str) -> None:
    """Call at the top of `page` (not in the entry script: Streamlit drops the previous page's widgets when the
    new page starts): put back its widgets' values dropped while another page ran."""
    for key, value in st.session_state.get(_KEPT_WIDGETS, {}).get(page, {}).items():
        if key not in st.session_state:
            st.session_state[key] = value


def save_widget_state(page: str) -> None:
    """Remember the values of `page`'s kept widgets (a page that ends with st.stop() calls this first: nothing
    can be read from Session State after it). Values already dropped leave the remembered ones as they were."""
    present = {k: st.session_state[k] for k in list(st.session_state.keys())
               if isinstance(k, str) and k.startswith(KEPT_PREFIXES[page]) and k not in NOT_SETTABLE}
    if present:
        st.session_state.setdefault(_KEPT_WIDGETS, {})[page] = present


class KeptUpload:
    """The bytes of a file uploaded earlier in this session, read like Streamlit's UploadedFile."""

    def __init__(self, name: str, data: bytes):
        self.name, self._data = name, data
        self.size = len(data)

    def getvalue(self) -> bytes:
        return self._data


def kept_upload(upload, returning: bool):
    """The page's upload, kept across page changes: a new upload replaces the kept one; after a visit to
    another page (`returning`: the uploader's state was gone before it was drawn) the kept one comes back, and
    stays until another upload or forget_upload; a file removed from the uploader before any page change is
    forgotten."""
    if upload is not None:
        st.session_state[KEPT_UPLOAD] = (upload.name, upload.getvalue())
        st.session_state.pop(_RETURNED, None)
        return upload
    kept = st.session_state.get(KEPT_UPLOAD)
    if kept and (returning or st.session_state.get(_RETURNED)):
        st.session_state[_RETURNED] = True
        return KeptUpload(*kept)
    forget_upload()
    return None


def forget_upload() -> None:
    st.session_state.pop(KEPT_UPLOAD, None)
    st.session_state.pop(_RETURNED, None)

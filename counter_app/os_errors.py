"""What the operating system's refusal to read or write a file means, in Vietnamese.

``OSError.strerror`` is the C library's English ("No such file or directory",
"Permission denied") on most PCs; the counter's messages quote this instead.
"""

from __future__ import annotations

import errno

REASONS: dict[int, str] = {
    errno.ENOENT: "không có tệp hoặc thư mục này",
    errno.EACCES: "không có quyền truy cập",
    errno.EPERM: "không có quyền truy cập",
    errno.ENOSPC: "ổ đĩa đã đầy",
    errno.EDQUOT: "đã dùng hết dung lượng được cấp trên ổ đĩa",
    errno.EROFS: "ổ đĩa chỉ đọc",
    errno.EISDIR: "đây là một thư mục, không phải tệp",
    errno.ENOTDIR: "một phần của đường dẫn không phải là thư mục",
    errno.EEXIST: "đã có tệp hoặc thư mục trùng tên",
    errno.ENOTEMPTY: "thư mục không trống",
    errno.EBUSY: "tệp đang được chương trình khác dùng",
    errno.EIO: "lỗi đọc ghi ổ đĩa (ổ đĩa có thể bị hỏng hoặc đã bị rút ra)",
    errno.ENAMETOOLONG: "tên tệp quá dài",
    errno.EMFILE: "quá nhiều tệp đang mở",
    errno.ENFILE: "quá nhiều tệp đang mở",
    errno.EXDEV: "không chuyển được tệp sang ổ đĩa khác",
    errno.EINVAL: "tên hoặc đường dẫn không hợp lệ",
    errno.ENODEV: "không có ổ đĩa này",
    errno.ENXIO: "không có ổ đĩa này",
}
WINDOWS_SHARING_VIOLATION = 32  # another program holds the file open


def os_reason(exc: OSError) -> str:
    """Why ``exc`` happened, in a few Vietnamese words, without the system's English."""
    if getattr(exc, "winerror", None) == WINDOWS_SHARING_VIOLATION:
        return "tệp đang được chương trình khác mở"
    if exc.errno in REASONS:
        return REASONS[exc.errno]
    return f"lỗi của hệ điều hành, mã {exc.errno}" if exc.errno else "lỗi của hệ điều hành"

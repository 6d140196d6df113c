"""The printed forms' ids, annex numbers and titles, without their renderers.

Kept apart from ``printing.forms`` so ``counter-app print --help`` and its choices
cost no reportlab import: the forms' table is built from these names.
"""

from __future__ import annotations

# id: (Mẫu số … of Annex I, title)
FORM_NAMES: dict[str, tuple[str, str]] = {
    "receipt": ("01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    "supplement": ("02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "refusal": ("03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
    "extension": ("04", "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"),
    "stop": ("05", "Thông báo dừng giải quyết hồ sơ"),
    "control": ("06", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
}

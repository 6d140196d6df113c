"""The reception form's widgets: fields, the error line under each, and reading them back.

Only layout and plain conversion of what was typed live here; what is valid
is decided by the reception service, whose errors come back keyed by field.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from counter_app.applicants import ApplicantInput, RepresentativeInput
from counter_app.validation import parse_day
from ui.cards import make_card
from ui.checklist import DocumentChecklist
from ui.field_errors import on_change
from ui.procedure_picker import ProcedurePicker, Search

FIELD_KEYS = (
    "procedure",
    "documents",
    "cccd",
    "full_name",
    "date_of_birth",
    "sex",
    "address",
    "phone",
    "email",
    "competent_unit",
    "return_method",
    "return_address",
    "sets_count",
)
# The optional group of a dossier filed on another's behalf (người được ủy quyền).
REPRESENTATIVE_KEYS = ("representative_name", "representative_cccd")


class ReceptionForm(QWidget):
    """All the inputs of one reception. Signals: none (the screen listens to its widgets)."""

    def __init__(self, search: Search, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.errors: dict[str, QLabel] = {}
        for key in FIELD_KEYS:
            label = QLabel()
            label.setObjectName("fieldError")
            label.setWordWrap(True)
            label.hide()
            self.errors[key] = label

        # Procedure and documents ------------------------------------------
        self.picker = ProcedurePicker(search)
        self.procedure_info = QLabel(self.tr("Chưa chọn thủ tục"))
        self.procedure_info.setObjectName("hint")
        self.procedure_info.setWordWrap(True)
        self.checklist = DocumentChecklist()
        self.tick_all = QPushButton(self.tr("Đủ tất cả (Alt+A)"))
        self.tick_all.setObjectName("tickAll")
        self.sets_count = QSpinBox()
        self.sets_count.setObjectName("setsCount")
        self.sets_count.setRange(1, 20)
        procedure_card, procedure_layout = make_card(self.tr("Thủ tục và thành phần hồ sơ"))
        procedure_layout.addWidget(self.picker)
        procedure_layout.addWidget(self.errors["procedure"])
        procedure_layout.addWidget(self.procedure_info)
        procedure_layout.addWidget(self.checklist, 1)
        procedure_layout.addWidget(self.errors["documents"])
        sets_row = QHBoxLayout()
        sets_row.addWidget(self.tick_all)
        sets_row.addStretch()
        sets_row.addWidget(QLabel(self.tr("Số bộ hồ sơ")))
        sets_row.addWidget(self.sets_count)
        procedure_layout.addLayout(sets_row)
        procedure_layout.addWidget(self.errors["sets_count"])

        # Applicant ----------------------------------------------------------
        self.cccd = self._line("cccd", self.tr("12 số, hoặc quét mã QR trên thẻ CCCD"))
        self.applicant_hint = QLabel()
        self.applicant_hint.setObjectName("hint")
        self.full_name = self._line("fullName", self.tr("Họ và tên"))
        self.date_of_birth = self._line("dateOfBirth", self.tr("dd/mm/yyyy"))
        self.sex = QComboBox()
        self.sex.setObjectName("sex")
        self.sex.addItem("—", None)
        self.sex.addItem(self.tr("Nam"), "male")
        self.sex.addItem(self.tr("Nữ"), "female")
        self.address = self._line("address", self.tr("Số nhà, đường, phường/xã, tỉnh"))
        self.phone = self._line("phone", self.tr("Di động hoặc cố định"))
        self.email = self._line("email", self.tr("Không bắt buộc"))
        applicant_card, applicant_layout = make_card(self.tr("Người nộp hồ sơ"))
        person = QFormLayout()
        person.addRow(self.tr("Số CCCD"), self._with_error(self.cccd, "cccd", self.applicant_hint))
        person.addRow(self.tr("Họ và tên *"), self._with_error(self.full_name, "full_name"))
        born = QHBoxLayout()
        born.addWidget(self.date_of_birth, 2)
        born.addWidget(QLabel(self.tr("Giới tính")))
        born.addWidget(self.sex, 1)
        born_box = QWidget()
        born_box.setLayout(born)
        born.setContentsMargins(0, 0, 0, 0)
        person.addRow(
            self.tr("Ngày sinh"), self._with_error(born_box, "date_of_birth", self.errors["sex"])
        )
        person.addRow(self.tr("Địa chỉ *"), self._with_error(self.address, "address"))
        person.addRow(self.tr("Điện thoại"), self._with_error(self.phone, "phone"))
        person.addRow(self.tr("Email"), self._with_error(self.email, "email"))
        applicant_layout.addLayout(person)
        applicant_layout.addWidget(self._representative_group())

        # Where the dossier goes and how the result comes back -----------------
        self.competent_unit = QComboBox()
        self.competent_unit.setObjectName("competentUnit")
        self.return_method = QComboBox()
        self.return_method.setObjectName("returnMethod")
        self.return_method.addItem(self.tr("Tại Bộ phận Một cửa"), "counter")
        self.return_method.addItem(self.tr("Qua bưu chính công ích"), "post")
        self.return_address = self._line(
            "returnAddress", self.tr("Địa chỉ nhận kết quả qua bưu chính")
        )
        self.return_address.setEnabled(False)
        self.note = self._line("note", self.tr("Ghi chú (không bắt buộc)"))
        dossier_card, dossier_layout = make_card(self.tr("Giải quyết và trả kết quả"))
        where = QFormLayout()
        where.addRow(
            self.tr("Cơ quan giải quyết"), self._with_error(self.competent_unit, "competent_unit")
        )
        where.addRow(self.tr("Nhận kết quả"), self._with_error(self.return_method, "return_method"))
        where.addRow(
            self.tr("Địa chỉ nhận"), self._with_error(self.return_address, "return_address")
        )
        where.addRow(self.tr("Ghi chú"), self.note)
        dossier_layout.addLayout(where)

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(14)
        grid.addWidget(procedure_card, 0, 0, 3, 1)
        grid.addWidget(applicant_card, 0, 1)
        grid.addWidget(dossier_card, 1, 1)
        grid.setRowStretch(2, 1)
        grid.setColumnStretch(0, 11)
        grid.setColumnStretch(1, 9)
        self.return_method.currentIndexChanged.connect(
            lambda _i: self.return_address.setEnabled(self.return_method.currentData() == "post")
        )
        watched: dict[QWidget, str] = {
            self.cccd: "cccd",
            self.full_name: "full_name",
            self.date_of_birth: "date_of_birth",
            self.sex: "sex",
            self.address: "address",
            self.phone: "phone",
            self.email: "email",
            self.competent_unit: "competent_unit",
            self.return_method: "return_method",
            self.return_address: "return_address",
            self.sets_count: "sets_count",
            self.representative_name: "representative_name",
            self.representative_cccd: "representative_cccd",
        }
        for widget in watched:
            on_change(widget, self._field_changed)
        self._watched = watched
        self.picker.procedureChosen.connect(self._procedure_changed)
        self.checklist.changed.connect(self._documents_changed)

    def _field_changed(self) -> None:
        sender = self.sender()
        key = next((k for widget, k in self._watched.items() if widget is sender), None)
        if key is not None:
            self.clear_error(key)
        if key == "return_method":
            self.clear_error("return_address")

    def _procedure_changed(self) -> None:
        self.clear_error("procedure")

    def _documents_changed(self) -> None:
        self.clear_error("documents")

    def _representative_group(self) -> QGroupBox:
        """Who files for the applicant, if anyone: printed on forms 01 and 03 beside them
        (MOH 3621/QĐ-BYT). The fields stay hidden until the tick box is ticked."""
        for key in REPRESENTATIVE_KEYS:
            label = QLabel()
            label.setObjectName("fieldError")
            label.setWordWrap(True)
            label.hide()
            self.errors[key] = label
        self.has_representative = QCheckBox(self.tr("Người được ủy quyền (nếu có) nộp thay"))
        self.has_representative.setObjectName("hasRepresentative")
        self.representative_name = self._line("representativeName", self.tr("Họ và tên"))
        self.representative_cccd = self._line("representativeCccd", self.tr("Số CCCD"))
        self.representative_relation = self._line("representativeRelation", self.tr("Quan hệ"))
        # Only the tick box shows until it is ticked: most citizens file for themselves,
        # and the applicant panel must still fit a 768-pixel-high screen.
        self.representative_fields = QWidget()
        row = QHBoxLayout(self.representative_fields)
        row.setContentsMargins(0, 0, 0, 0)
        top = Qt.AlignmentFlag.AlignTop
        row.addWidget(self._with_error(self.representative_name, "representative_name"), 5, top)
        row.addWidget(self._with_error(self.representative_cccd, "representative_cccd"), 4, top)
        row.addWidget(self.representative_relation, 3, top)
        box = QGroupBox()
        box.setObjectName("representativeGroup")
        box.setFlat(True)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.has_representative)
        column.addWidget(self.representative_fields)
        self.has_representative.toggled.connect(self._representative_toggled)
        self.has_representative.clicked.connect(
            lambda on: self.representative_name.setFocus() if on else None
        )
        self._representative_toggled(False)
        return box

    def _representative_toggled(self, on: bool) -> None:
        self.representative_fields.setVisible(on)
        for line in (
            self.representative_name,
            self.representative_cccd,
            self.representative_relation,
        ):
            line.setEnabled(on)

    def representative(self) -> RepresentativeInput | None:
        """What was typed about the representative; None when nobody files on their behalf."""
        if not self.has_representative.isChecked():
            return None
        return RepresentativeInput(
            full_name=self.representative_name.text(),
            cccd=self.representative_cccd.text().strip() or None,
            relation=self.representative_relation.text(),
        )

    def fill_representative(self, person: RepresentativeInput | None) -> None:
        self.has_representative.setChecked(person is not None)
        self.representative_name.setText(person.full_name if person else "")
        self.representative_cccd.setText((person.cccd or "") if person else "")
        self.representative_relation.setText(person.relation if person else "")

    def _line(self, name: str, placeholder: str) -> QLineEdit:
        line = QLineEdit()
        line.setObjectName(name)
        line.setPlaceholderText(placeholder)
        return line

    def _with_error(self, widget: QWidget, key: str, extra: QLabel | None = None) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        if extra is not None:
            layout.addWidget(extra)
        layout.addWidget(self.errors[key])
        widget.setProperty("errorKey", key)
        return box

    # Reading and writing --------------------------------------------------

    def applicant(self) -> ApplicantInput:
        return ApplicantInput(
            full_name=self.full_name.text(),
            address=self.address.text(),
            cccd=self.cccd.text().strip() or None,
            date_of_birth=self.parsed_date_of_birth(),
            sex=self.sex.currentData(),
            phone=self.phone.text().strip() or None,
            email=self.email.text().strip() or None,
        )

    def parsed_date_of_birth(self) -> dt.date | None:
        parsed = parse_day(self.date_of_birth.text()) if self.date_of_birth.text().strip() else None
        return parsed if isinstance(parsed, dt.date) else None

    def date_of_birth_problem(self) -> str | None:
        """What is wrong with the typed date of birth (shape, or a day that does not exist)."""
        if not self.date_of_birth.text().strip():
            return None
        parsed = parse_day(self.date_of_birth.text())
        return parsed if isinstance(parsed, str) else None

    def fill_applicant(self, data: ApplicantInput) -> None:
        self.cccd.setText(data.cccd or "")
        self.full_name.setText(data.full_name)
        self.address.setText(data.address)
        self.date_of_birth.setText(f"{data.date_of_birth:%d/%m/%Y}" if data.date_of_birth else "")
        self.sex.setCurrentIndex(max(0, self.sex.findData(data.sex)))
        if data.phone:
            self.phone.setText(data.phone)
        if data.email:
            self.email.setText(data.email)

    def show_errors(self, errors: dict[str, str]) -> None:
        for key, label in self.errors.items():
            message = errors.get(key)
            label.setText(message or "")
            label.setVisible(bool(message))
        for widget in self.findChildren(QWidget):
            key = widget.property("errorKey")
            if key:
                widget.setProperty("invalid", key in errors)
                widget.style().unpolish(widget)
                widget.style().polish(widget)

    def has_input(self) -> bool:
        """Whether the person has typed or chosen anything a fresh form would drop."""
        lines = (
            self.cccd,
            self.full_name,
            self.date_of_birth,
            self.address,
            self.phone,
            self.email,
            self.return_address,
            self.note,
        )
        return (
            bool(self.picker.chosen_code or self.picker.field.text().strip())
            or any(line.text().strip() for line in lines)
            or self.sex.currentIndex() > 0
        )

    def clear_error(self, key: str) -> None:
        """The field was changed: its error goes, the others stay until theirs are fixed."""
        label = self.errors.get(key)
        if label is None or label.isHidden():
            return
        label.hide()
        label.clear()
        for widget in self.findChildren(QWidget):
            if widget.property("errorKey") == key and widget.property("invalid"):
                widget.setProperty("invalid", False)
                widget.style().unpolish(widget)
                widget.style().polish(widget)

    def first_error_widget(self, errors: dict[str, str]) -> QWidget | None:
        order = {
            "procedure": self.picker.field,
            "documents": self.checklist,
            "cccd": self.cccd,
            "full_name": self.full_name,
            "date_of_birth": self.date_of_birth,
            "sex": self.sex,
            "address": self.address,
            "phone": self.phone,
            "email": self.email,
            "competent_unit": self.competent_unit,
            "return_address": self.return_address,
            "sets_count": self.sets_count,
            "representative_name": self.representative_name,
            "representative_cccd": self.representative_cccd,
        }
        return next((widget for key, widget in order.items() if key in errors), None)

    def clear(self) -> None:
        self.picker.reset()
        self.checklist.setRowCount(0)
        self.procedure_info.setText(self.tr("Chưa chọn thủ tục"))
        for line in (
            self.cccd,
            self.full_name,
            self.date_of_birth,
            self.address,
            self.phone,
            self.email,
            self.return_address,
            self.note,
        ):
            line.clear()
        self.sex.setCurrentIndex(0)
        self.competent_unit.setCurrentIndex(0)
        self.return_method.setCurrentIndex(0)
        self.sets_count.setValue(1)
        self.applicant_hint.clear()
        self.fill_representative(None)
        self.show_errors({})

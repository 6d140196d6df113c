"""The window's look: one stylesheet, calm colours, large readable text for the counter."""

from __future__ import annotations

from importlib import resources

# The spin boxes' arrows: a styled QSpinBox loses the platform's, so it names its own.
ICONS = resources.files("resources").joinpath("icons").as_posix()  # type: ignore[attr-defined]

ACCENT = "#0b5cad"
DANGER = "#b42318"

STYLESHEET = f"""
QWidget {{ font-size: 14px; color: #1d2939; }}
QMainWindow, QDialog {{ background: #f5f7fa; }}
QListWidget#navigation {{
    background: #0f2a47; color: #dbe6f3; border: none; padding-top: 8px; font-size: 15px;
}}
QListWidget#navigation::item {{ padding: 11px 16px; border-left: 4px solid transparent; }}
QListWidget#navigation::item:selected {{
    background: #173d66; color: white; border-left: 4px solid #5eb1ff;
}}
QLabel#brand {{ background: #0f2a47; color: white; font-size: 16px; font-weight: 600;
    padding: 14px 16px 4px 16px; }}
QLabel#brandUnit {{ background: #0f2a47; color: #9fb3c8; font-size: 12px;
    padding: 0 16px 10px 16px; }}
QLabel#pageTitle {{ font-size: 20px; font-weight: 600; color: #0f2a47; }}
QLabel#dialogTitle {{ font-size: 18px; font-weight: 600; color: #0f2a47; }}
QLabel#sectionTitle {{ font-size: 13px; font-weight: 600; color: #475467;
    text-transform: uppercase; letter-spacing: 0.5px; }}
QLabel#fieldError {{ color: {DANGER}; font-size: 12px; }}
QLabel#hint {{ color: #667085; font-size: 12px; }}
QLabel#appointment {{ font-size: 16px; font-weight: 600; color: {ACCENT}; }}
QFrame#card {{ background: white; border: 1px solid #e4e7ec; border-radius: 8px; }}
QLineEdit, QComboBox, QSpinBox, QDateEdit, QPlainTextEdit {{
    background: white; border: 1px solid #d0d5dd; border-radius: 6px; padding: 5px 8px;
    min-height: 22px;
}}
QLineEdit:focus, QComboBox:focus, QSpinBox:focus, QDateEdit:focus, QPlainTextEdit:focus {{
    border: 2px solid {ACCENT};
}}
QSpinBox {{ padding-right: 24px; }}
QSpinBox::up-button, QSpinBox::down-button {{ subcontrol-origin: padding; width: 22px;
    border-left: 1px solid #d0d5dd; background: #f9fafb; }}
QSpinBox::up-button {{ subcontrol-position: top right; border-top-right-radius: 6px; }}
QSpinBox::down-button {{ subcontrol-position: bottom right; border-bottom-right-radius: 6px;
    border-top: 1px solid #eaecf0; }}
QSpinBox::up-button:hover, QSpinBox::down-button:hover {{ background: #eaecf0; }}
QSpinBox::up-arrow {{ image: url({ICONS}/arrow-up.svg); width: 10px; height: 8px; }}
QSpinBox::down-arrow {{ image: url({ICONS}/arrow-down.svg); width: 10px; height: 8px; }}
QSpinBox::up-arrow:disabled, QSpinBox::up-arrow:off {{ image: url({ICONS}/arrow-up-off.svg); }}
QSpinBox::down-arrow:disabled, QSpinBox::down-arrow:off {{
    image: url({ICONS}/arrow-down-off.svg); }}
QLineEdit[invalid="true"], QComboBox[invalid="true"] {{ border: 2px solid {DANGER}; }}
QPushButton {{ background: white; border: 1px solid #d0d5dd; border-radius: 6px;
    padding: 7px 14px; }}
QPushButton:hover {{ background: #f2f4f7; }}
QPushButton:disabled {{ color: #98a2b3; border-color: #eaecf0; background: #f9fafb; }}
QPushButton#primary {{ background: {ACCENT}; color: white; border: none; font-weight: 600;
    padding: 9px 18px; }}
QPushButton#primary:hover {{ background: #094a8c; }}
QPushButton#primary:disabled {{ background: #98a2b3; }}
QTableView, QTableWidget, QListWidget {{ background: white; border: 1px solid #e4e7ec;
    border-radius: 6px; gridline-color: #f2f4f7; selection-background-color: #d1e9ff;
    selection-color: #1d2939; }}
QHeaderView::section {{ background: #f9fafb; border: none; border-bottom: 1px solid #e4e7ec;
    padding: 6px; font-weight: 600; color: #475467; }}
QStatusBar {{ background: #eef2f6; color: #344054; }}
QStatusBar QLabel {{ padding: 0 10px; }}
QToolButton#syncProblems {{ color: {DANGER}; font-weight: 600; text-decoration: underline;
    border: none; padding: 0 10px; }}
QToolButton#syncProblems:hover {{ background: #fee4e2; }}
QLabel#syncProblemsHelp {{ color: #344054; }}
QTableWidget#syncProblemsTable {{ outline: 0; }}
QTableWidget#syncProblemsTable::item {{ padding: 6px 0; }}
"""

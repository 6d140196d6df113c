<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>ActionDialog</name>
    <message>
        <location filename="../../ui/dossier_actions.py" line="53"/>
        <source>Mỗi dòng một giấy tờ hoặc nội dung cần bổ sung</source>
        <translation>One document or item to supplement per line</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_actions.py" line="62"/>
        <source>Cần bổ sung</source>
        <translation>Items to supplement</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_actions.py" line="65"/>
        <source>Ngày hẹn mới</source>
        <translation>New due date</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_actions.py" line="66"/>
        <source>Lý do</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_actions.py" line="74"/>
        <source>Ghi nhận và in</source>
        <translation>Record and print</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_actions.py" line="75"/>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>AdminScreen</name>
    <message>
        <location filename="../../ui/admin_screen.py" line="56"/>
        <source>Quản trị</source>
        <translation>Administration</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="59"/>
        <source>Tài khoản cán bộ</source>
        <translation>Staff accounts</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="64"/>
        <location filename="../../ui/admin_screen.py" line="103"/>
        <source>Tên đăng nhập</source>
        <translation>Username</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="65"/>
        <location filename="../../ui/admin_screen.py" line="104"/>
        <source>Họ và tên</source>
        <translation>Full name</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="66"/>
        <location filename="../../ui/admin_screen.py" line="105"/>
        <source>Vai trò</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="67"/>
        <source>Trạng thái</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="74"/>
        <source>Khóa / mở tài khoản</source>
        <translation>Lock / unlock account</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="79"/>
        <source>mật khẩu mới</source>
        <translation>new password</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="80"/>
        <source>Đặt lại mật khẩu</source>
        <translation>Reset password</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="99"/>
        <source>Thêm tài khoản</source>
        <translation>Add account</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="106"/>
        <source>Mật khẩu</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="117"/>
        <source>Cài đặt máy này</source>
        <translation>Settings for this computer</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="128"/>
        <source> phút</source>
        <translation> min</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="134"/>
        <source>theo tên đơn vị</source>
        <translation>from the unit name</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="136"/>
        <source>vd. UBND TỈNH THANH HÓA</source>
        <translation>e.g. UBND TỈNH THANH HÓA</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="138"/>
        <source>Ngôn ngữ (khởi động lại để áp dụng)</source>
        <translation>Language (restart to apply)</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="139"/>
        <source>Tự khóa máy sau</source>
        <translation>Auto-lock after</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="140"/>
        <source>Khổ giấy in phiếu</source>
        <translation>Form paper size</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="141"/>
        <source>Địa danh ghi trên phiếu</source>
        <translation>Place name on forms</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="142"/>
        <source>Cơ quan cấp trên</source>
        <translation>Parent agency</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="146"/>
        <source>Lưu cài đặt</source>
        <translation>Save settings</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="170"/>
        <source>Đang dùng</source>
        <translation>Active</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="170"/>
        <location filename="../../ui/admin_screen.py" line="217"/>
        <source>Đã khóa</source>
        <translation>Locked</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="205"/>
        <source>Đã thêm tài khoản {name}.</source>
        <translation>Account {name} added.</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="220"/>
        <source>Đã cập nhật tài khoản {name}.</source>
        <translation>Account {name} updated.</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="230"/>
        <source>Đã đặt lại mật khẩu của {name}.</source>
        <translation>Password reset for {name}.</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="261"/>
        <source>Đã lưu cài đặt.</source>
        <translation>Settings saved.</translation>
    </message>
</context>
<context>
    <name>DocumentChecklist</name>
    <message>
        <location filename="../../ui/checklist.py" line="35"/>
        <source>Giấy tờ</source>
        <translation>Document</translation>
    </message>
    <message>
        <location filename="../../ui/checklist.py" line="35"/>
        <source>Hình thức</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../ui/checklist.py" line="35"/>
        <source>Số lượng</source>
        <translation>Quantity</translation>
    </message>
    <message>
        <location filename="../../ui/checklist.py" line="59"/>
        <source> (nếu có)</source>
        <translation> (if any)</translation>
    </message>
</context>
<context>
    <name>DossierActionBar</name>
    <message>
        <location filename="../../ui/dossier_actions.py" line="144"/>
        <source>In giấy tiếp nhận</source>
        <translation>Print receipt</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_actions.py" line="145"/>
        <source>In phiếu kiểm soát</source>
        <translation>Print control sheet</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_actions.py" line="146"/>
        <source>Yêu cầu bổ sung…</source>
        <translation>Request supplement…</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_actions.py" line="147"/>
        <source>Từ chối…</source>
        <translation>Refuse…</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_actions.py" line="148"/>
        <source>Xin lỗi, hẹn lại…</source>
        <translation>Apologize and reschedule…</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_actions.py" line="149"/>
        <source>Dừng giải quyết…</source>
        <translation>Stop processing…</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_actions.py" line="189"/>
        <source>Yêu cầu bổ sung, hoàn thiện hồ sơ</source>
        <translation>Request to supplement and complete the dossier</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_actions.py" line="198"/>
        <source>Từ chối tiếp nhận, giải quyết hồ sơ</source>
        <translation>Refuse to receive or process the dossier</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_actions.py" line="206"/>
        <source>Xin lỗi và hẹn lại ngày trả kết quả</source>
        <translation>Apologize and reschedule the result date</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_actions.py" line="215"/>
        <source>Dừng giải quyết hồ sơ</source>
        <translation>Stop processing the dossier</translation>
    </message>
</context>
<context>
    <name>DossierDetail</name>
    <message>
        <location filename="../../ui/dossier_detail.py" line="92"/>
        <source>Quá hạn</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="103"/>
        <source>Người nộp hồ sơ</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="107"/>
        <source>Tiếp nhận và hẹn trả</source>
        <translation>Reception and due date</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="116"/>
        <source>Thành phần hồ sơ</source>
        <translation>Dossier documents</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="119"/>
        <source>STT</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="120"/>
        <source>Giấy tờ</source>
        <translation>Document</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="121"/>
        <source>Hình thức</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="122"/>
        <source>Số lượng</source>
        <translation>Quantity</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="123"/>
        <source>Đã nộp</source>
        <translation>Submitted</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="124"/>
        <source>Bản số hóa</source>
        <translation>Digital copy</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="129"/>
        <source>Quá trình giải quyết</source>
        <translation>Processing history</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="132"/>
        <source>Thời gian</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="133"/>
        <source>Sự kiện</source>
        <translation>Event</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="134"/>
        <source>Người thực hiện</source>
        <translation>Performed by</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="135"/>
        <source>Ghi chú</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="163"/>
        <source>Họ và tên</source>
        <translation>Full name</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="164"/>
        <source>Số CCCD</source>
        <translation>Citizen ID no.</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="165"/>
        <source>Ngày sinh</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="166"/>
        <source>Địa chỉ</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="167"/>
        <source>Điện thoại</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="168"/>
        <source>Email</source>
        <translation>Email</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="174"/>
        <source> (không phụ thuộc địa giới hành chính)</source>
        <translation> (regardless of administrative boundaries)</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="178"/>
        <source>Ngày nhận</source>
        <translation>Received</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="179"/>
        <source>Hẹn trả</source>
        <translation>Due</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="180"/>
        <source>Thời hạn giải quyết</source>
        <translation>Processing time</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="181"/>
        <source>Cán bộ tiếp nhận</source>
        <translation>Received by</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="182"/>
        <source>Hình thức nộp</source>
        <translation>Submission channel</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="183"/>
        <source>Nơi trả kết quả</source>
        <translation>Result delivery</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="184"/>
        <source>Đơn vị giải quyết</source>
        <translation>Processing unit</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="185"/>
        <source>Lệ phí, phí</source>
        <translation>Fees and charges</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="187"/>
        <source>Sổ theo dõi</source>
        <translation>Register</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="188"/>
        <source>Quyển {volume}, số {entry}</source>
        <translation>Volume {volume}, entry {entry}</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="202"/>
        <source>Chưa nộp</source>
        <translation>Not submitted</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="203"/>
        <source>Có (PDF)</source>
        <translation>Yes (PDF)</translation>
    </message>
</context>
<context>
    <name>DossierDetailDialog</name>
    <message>
        <location filename="../../ui/dossier_detail.py" line="241"/>
        <source>Hồ sơ {code}</source>
        <translation>Dossier {code}</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="246"/>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>DossierListWidget</name>
    <message>
        <location filename="../../ui/dossier_list.py" line="286"/>
        <source>Hồ sơ đã tiếp nhận</source>
        <translation>Received dossiers</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="303"/>
        <source>Mã hồ sơ, số CCCD hoặc tên người nộp — quét mã vạch để mở ngay</source>
        <translation>Dossier code, citizen ID or applicant name — scan a barcode to open it directly</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="306"/>
        <source>Mọi trạng thái</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="312"/>
        <source>Mọi thời gian</source>
        <translation>All time</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="313"/>
        <source>Hôm nay</source>
        <translation>Today</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="314"/>
        <source>7 ngày qua</source>
        <translation>Last 7 days</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="315"/>
        <source>30 ngày qua</source>
        <translation>Last 30 days</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="316"/>
        <source>Năm nay</source>
        <translation>This year</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="317"/>
        <source>Khoảng ngày…</source>
        <translation>Date range…</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="326"/>
        <location filename="../../ui/dossier_list.py" line="333"/>
        <source>Mọi thủ tục</source>
        <translation>All procedures</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="340"/>
        <source>Quá hạn</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="341"/>
        <source>Xóa lọc</source>
        <translation>Clear filters</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="433"/>
        <source>{count} hồ sơ</source>
        <translation>{count} dossiers</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="505"/>
        <source>Không tìm thấy hồ sơ mã {code}.</source>
        <translation>No dossier found with code {code}.</translation>
    </message>
</context>
<context>
    <name>DossierTableModel</name>
    <message>
        <location filename="../../ui/dossier_list.py" line="169"/>
        <source>Mã hồ sơ</source>
        <translation>Dossier code</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="170"/>
        <source>Thủ tục</source>
        <translation>Procedure</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="171"/>
        <source>Người nộp</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="172"/>
        <source>Ngày nhận</source>
        <translation>Received</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="173"/>
        <source>Hẹn trả</source>
        <translation>Due</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="174"/>
        <source>Trạng thái</source>
        <translation>Status</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../ui/login_dialog.py" line="39"/>
        <source>Đăng nhập — Một cửa</source>
        <translation>Log in — One-Stop</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="46"/>
        <source>Máy bị khóa do không sử dụng. Nhập mật khẩu để tiếp tục.</source>
        <translation>This computer was locked due to inactivity. Enter your password to continue.</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="48"/>
        <source>Bộ phận tiếp nhận và trả kết quả · máy số {slot}</source>
        <translation>Reception and Results Counter · workstation {slot}</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="57"/>
        <source>tên đăng nhập</source>
        <translation>username</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="70"/>
        <source>Tên đăng nhập</source>
        <translation>Username</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="71"/>
        <source>Mật khẩu</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="76"/>
        <source>Đăng nhập</source>
        <translation>Log in</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="78"/>
        <source>Thoát</source>
        <translation>Exit</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="104"/>
        <source>Chỉ người đang dùng máy mới mở khóa được.</source>
        <translation>Only the user currently signed in can unlock this computer.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="64"/>
        <source>Một cửa — {unit}</source>
        <translation>One-Stop — {unit}</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="72"/>
        <source>Bộ phận Một cửa</source>
        <translation>One-Stop Counter</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="133"/>
        <source>Tiếp nhận</source>
        <translation>Reception</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="134"/>
        <source>Chuẩn bị hồ sơ</source>
        <translation>Prepare dossier</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="136"/>
        <source>Hồ sơ</source>
        <translation>Dossiers</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="138"/>
        <source>Quản trị</source>
        <translation>Administration</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="188"/>
        <source>Đã tiếp nhận hồ sơ {code}, hẹn trả {due}</source>
        <translation>Dossier {code} received, due {due}</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="207"/>
        <source>Không in được: {error}</source>
        <translation>Could not print: {error}</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="220"/>
        <source>Đã lưu hồ sơ nháp cho cán bộ tiếp nhận.</source>
        <translation>Draft dossier saved for the reception clerk.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="228"/>
        <source>● Ngoại tuyến</source>
        <translation>● Offline</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="229"/>
        <source>Chưa kết nối máy chủ tỉnh; dữ liệu lưu tại máy.</source>
        <translation>Not connected to the provincial server; data is stored on this computer.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="230"/>
        <source>{n} thay đổi chờ đồng bộ</source>
        <translation>{n} changes pending sync</translation>
    </message>
</context>
<context>
    <name>PdfPreviewDialog</name>
    <message>
        <location filename="../../ui/print_preview.py" line="65"/>
        <source>Lưu PDF…</source>
        <translation>Save PDF…</translation>
    </message>
    <message>
        <location filename="../../ui/print_preview.py" line="74"/>
        <source>Lưu PDF</source>
        <translation>Save PDF</translation>
    </message>
    <message>
        <location filename="../../ui/print_preview.py" line="74"/>
        <source>Tệp PDF (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
</context>
<context>
    <name>ProcedurePicker</name>
    <message>
        <location filename="../../ui/procedure_picker.py" line="30"/>
        <source>Gõ tên hoặc mã thủ tục, vd. khai sinh, 1.001193</source>
        <translation>Type a procedure name or code, e.g. khai sinh, 1.001193</translation>
    </message>
</context>
<context>
    <name>ReceptionForm</name>
    <message>
        <location filename="../../ui/reception_form.py" line="72"/>
        <location filename="../../ui/reception_form.py" line="251"/>
        <source>Chưa chọn thủ tục</source>
        <translation>No procedure selected</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="76"/>
        <source>Đủ tất cả (Alt+A)</source>
        <translation>Tick all (Alt+A)</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="81"/>
        <source>Thủ tục và thành phần hồ sơ</source>
        <translation>Procedure and dossier documents</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="90"/>
        <source>Số bộ hồ sơ</source>
        <translation>Number of sets</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="96"/>
        <source>12 số, hoặc quét mã QR trên thẻ CCCD</source>
        <translation>12 digits, or scan the QR code on the citizen ID card</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="99"/>
        <source>Họ và tên</source>
        <translation>Full name</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="100"/>
        <source>dd/mm/yyyy</source>
        <translation>dd/mm/yyyy</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="104"/>
        <source>Nam</source>
        <translation>Male</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="105"/>
        <source>Nữ</source>
        <translation>Female</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="106"/>
        <source>Số nhà, đường, phường/xã, tỉnh</source>
        <translation>House no., street, ward/commune, province</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="107"/>
        <source>Di động hoặc cố định</source>
        <translation>Mobile or landline</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="108"/>
        <source>Không bắt buộc</source>
        <translation>Optional</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="109"/>
        <source>Người nộp hồ sơ</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="111"/>
        <source>Số CCCD</source>
        <translation>Citizen ID no.</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="112"/>
        <source>Họ và tên *</source>
        <translation>Full name *</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="115"/>
        <source>Giới tính</source>
        <translation>Sex</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="121"/>
        <source>Ngày sinh</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="123"/>
        <source>Địa chỉ *</source>
        <translation>Address *</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="124"/>
        <source>Điện thoại</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="125"/>
        <source>Email</source>
        <translation>Email</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="133"/>
        <source>Tại Bộ phận Một cửa</source>
        <translation>At the One-Stop Counter</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="134"/>
        <source>Qua bưu chính công ích</source>
        <translation>By public postal service</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="136"/>
        <source>Địa chỉ nhận kết quả qua bưu chính</source>
        <translation>Postal address for the result</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="139"/>
        <source>Ghi chú (không bắt buộc)</source>
        <translation>Note (optional)</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="140"/>
        <source>Giải quyết và trả kết quả</source>
        <translation>Processing and result delivery</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="143"/>
        <source>Cơ quan giải quyết</source>
        <translation>Processing agency</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="145"/>
        <source>Nhận kết quả</source>
        <translation>Receive result</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="147"/>
        <source>Địa chỉ nhận</source>
        <translation>Delivery address</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="149"/>
        <source>Ghi chú</source>
        <translation>Note</translation>
    </message>
</context>
<context>
    <name>ReceptionScreen</name>
    <message>
        <location filename="../../ui/reception_screen.py" line="55"/>
        <source>Chuẩn bị hồ sơ</source>
        <translation>Prepare dossier</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="55"/>
        <source>Tiếp nhận hồ sơ</source>
        <translation>Receive dossier</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="57"/>
        <source>Hồ sơ nháp</source>
        <translation>Drafts</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="62"/>
        <source>Hồ sơ mới (Ctrl+N)</source>
        <translation>New dossier (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="78"/>
        <source>Lưu hồ sơ nháp (Ctrl+Enter)</source>
        <translation>Save draft (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="80"/>
        <source>Tiếp nhận và in (Ctrl+Enter)</source>
        <translation>Receive and print (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="123"/>
        <source> (liên thông)</source>
        <translation> (inter-agency)</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="132"/>
        <source>Thời hạn: {time} · Phí, lệ phí: {fee}</source>
        <translation>Processing time: {time} · Fees: {fee}</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="134"/>
        <source>không thu</source>
        <translation>none</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="146"/>
        <source>Đã đọc từ mã QR trên thẻ CCCD.</source>
        <translation>Read from the QR code on the citizen ID card.</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="153"/>
        <source>Người nộp lần đầu.</source>
        <translation>First-time applicant.</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="156"/>
        <source>Đã điền theo hồ sơ trước của người này.</source>
        <translation>Filled in from this person&apos;s previous dossier.</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="161"/>
        <source>Ngày hẹn trả: chọn thủ tục để tính</source>
        <translation>Due date: select a procedure to calculate</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="169"/>
        <source>Hẹn trả kết quả: {time}, ngày {date}</source>
        <translation>Result due: {time}, {date}</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="170"/>
        <source>{hour} giờ {minute}</source>
        <translation>{hour}:{minute}</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="195"/>
        <source>Ngày sinh phải có dạng dd/mm/yyyy.</source>
        <translation>Date of birth must be in dd/mm/yyyy format.</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="231"/>
        <source>Không lưu được hồ sơ ({error}). Dữ liệu đã nhập vẫn còn; hãy thử lại.</source>
        <translation>Could not save the dossier ({error}). Your entries are kept; please try again.</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="246"/>
        <source>Hồ sơ chưa lưu: hãy sửa các ô báo đỏ.</source>
        <translation>Dossier not saved: please correct the fields marked in red.</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="262"/>
        <source>Không có hồ sơ nháp</source>
        <translation>No draft dossiers</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="269"/>
        <source>Hồ sơ nháp do nhân viên bưu điện chuẩn bị.</source>
        <translation>Draft dossier prepared by postal staff.</translation>
    </message>
</context>
</TS>

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>ActionDialog</name>
    <message>
        <location filename="../../ui/dossier_actions.py" line="76"/>
        <source>Mỗi dòng một giấy tờ hoặc nội dung cần bổ sung</source>
        <translation>One document or item to supplement per line</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_actions.py" line="85"/>
        <source>Cần bổ sung</source>
        <translation>Items to supplement</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_actions.py" line="92"/>
        <source>Ngày hẹn mới</source>
        <translation>New due date</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_actions.py" line="94"/>
        <source>Lý do</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_actions.py" line="99"/>
        <source>Chỉ khi đã quá hạn xin lỗi, hẹn lại (01 ngày làm việc trước ngày hẹn)</source>
        <translation>Only once the apology&apos;s deadline (one working day before the appointment) has passed</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_actions.py" line="103"/>
        <source>Lý do lãnh đạo cho phép</source>
        <translation>Supervisor&apos;s reason for allowing it</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_actions.py" line="114"/>
        <source>Ghi nhận và in</source>
        <translation>Record and print</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_actions.py" line="115"/>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>AdminScreen</name>
    <message>
        <location filename="../../ui/admin_screen.py" line="74"/>
        <source>Quản trị</source>
        <translation>Administration</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="77"/>
        <source>Tài khoản cán bộ</source>
        <translation>Staff accounts</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="82"/>
        <location filename="../../ui/admin_screen.py" line="126"/>
        <source>Tên đăng nhập</source>
        <translation>Username</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="83"/>
        <location filename="../../ui/admin_screen.py" line="127"/>
        <source>Họ và tên</source>
        <translation>Full name</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="84"/>
        <location filename="../../ui/admin_screen.py" line="128"/>
        <source>Vai trò</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="85"/>
        <source>Trạng thái</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="94"/>
        <source>Khóa / mở tài khoản</source>
        <translation>Lock / unlock account</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="99"/>
        <source>mật khẩu mới</source>
        <translation>new password</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="100"/>
        <source>Đặt lại mật khẩu</source>
        <translation>Reset password</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="120"/>
        <source>Thêm tài khoản</source>
        <translation>Add account</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="129"/>
        <source>Mật khẩu</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="143"/>
        <source>Cài đặt máy này</source>
        <translation>Settings for this computer</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="154"/>
        <source> phút</source>
        <translation> min</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="160"/>
        <source>theo tên đơn vị</source>
        <translation>from the unit name</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="162"/>
        <source>vd. UBND TỈNH THANH HÓA</source>
        <translation>e.g. UBND TỈNH THANH HÓA</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="167"/>
        <source>In từ máy (biên lai giấy)</source>
        <translation>Printed here (paper receipts)</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="168"/>
        <source>Biên lai điện tử</source>
        <translation>Electronic receipts</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="172"/>
        <source>vd. 01BLP0-001</source>
        <translation>e.g. 01BLP0-001</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="175"/>
        <source>riêng cho máy này, vd. AA-25P</source>
        <translation>this counter&apos;s own, e.g. AA-25P</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="178"/>
        <source>10 chữ số</source>
        <translation>10 digits</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="181"/>
        <source>Ngôn ngữ (khởi động lại để áp dụng)</source>
        <translation>Language (restart to apply)</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="182"/>
        <source>Tự khóa máy sau</source>
        <translation>Auto-lock after</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="183"/>
        <source>Khổ giấy in phiếu</source>
        <translation>Form paper size</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="187"/>
        <source>Địa danh ghi trên phiếu</source>
        <translation>Place name on forms</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="188"/>
        <source>Cơ quan cấp trên</source>
        <translation>Parent agency</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="191"/>
        <source>chưa chọn: không tự sao lưu</source>
        <translation>not chosen: no automatic backup</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="192"/>
        <source>Chọn…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="203"/>
        <source> bản</source>
        <translation> copies</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="205"/>
        <source>Thư mục sao lưu hằng ngày (vd. ổ USB)</source>
        <translation>Daily backup folder (e.g. a USB disk)</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="206"/>
        <source>Giữ lại</source>
        <translation>Keep</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="207"/>
        <source>Biên lai thu phí</source>
        <translation>Fee receipts</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="208"/>
        <source>Ký hiệu mẫu biên lai</source>
        <translation>Receipt form symbol</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="209"/>
        <source>Ký hiệu biên lai</source>
        <translation>Receipt series</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="210"/>
        <source>Mã số thuế</source>
        <translation>Tax code</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="214"/>
        <location filename="../../ui/admin_screen.py" line="457"/>
        <source>Sao lưu ngay</source>
        <translation>Back up now</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="218"/>
        <location filename="../../ui/admin_screen.py" line="516"/>
        <source>Khôi phục từ bản sao lưu…</source>
        <translation>Restore from a backup…</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="222"/>
        <source>Kiểm tra máy</source>
        <translation>Check this PC</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="225"/>
        <source>Thư viện cửa sổ, phông chữ, máy in, thư mục, ổ đĩa, máy chủ tỉnh, đồng hồ</source>
        <translation>Window libraries, fonts, printer, folders, disk, provincial server, clock</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="232"/>
        <source>Lưu cài đặt</source>
        <translation>Save settings</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="264"/>
        <source>Đang dùng</source>
        <translation>Active</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="264"/>
        <location filename="../../ui/admin_screen.py" line="353"/>
        <source>Đã khóa</source>
        <translation>Locked</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="342"/>
        <source>Đã thêm tài khoản {name}.</source>
        <translation>Account {name} added.</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="357"/>
        <source>Đã cập nhật tài khoản {name}.</source>
        <translation>Account {name} updated.</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="369"/>
        <source>Đã đặt lại mật khẩu của {name}.</source>
        <translation>Password reset for {name}.</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="411"/>
        <source>Đã lưu cài đặt.</source>
        <translation>Settings saved.</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="417"/>
        <source>Chọn thư mục sao lưu</source>
        <translation>Choose the backup folder</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="431"/>
        <source>Hãy chọn thư mục sao lưu trước.</source>
        <translation>Choose a backup folder first.</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="450"/>
        <source>Đang sao lưu…</source>
        <translation>Backing up…</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="462"/>
        <source>Đã sao lưu vào {folder} ({scans} tệp giấy tờ số hóa).</source>
        <translation>Backed up to {folder} ({scans} scanned documents).</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="477"/>
        <source>Sao lưu không thành công: {error}</source>
        <translation>Backup failed: {error}</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="495"/>
        <source>Chọn bản sao lưu cần khôi phục</source>
        <translation>Choose the backup to restore</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="507"/>
        <source>Đang kiểm tra bản sao lưu…</source>
        <translation>Checking the backup…</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="520"/>
        <source>Không khôi phục được: {error}</source>
        <translation>Cannot restore: {error}</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="526"/>
        <source>Bản sao lưu {folder}</source>
        <translation>Backup {folder}</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="527"/>
        <source>Sao lưu lúc: {taken_at}</source>
        <translation>Taken at: {taken_at}</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="528"/>
        <source>Đơn vị: {unit}, máy số {slot}</source>
        <translation>Unit: {unit}, counter no. {slot}</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="533"/>
        <source>Số hồ sơ: {count}</source>
        <translation>Dossiers: {count}</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="535"/>
        <source>Giấy tờ số hóa: {count} tệp</source>
        <translation>Digitized documents: {count} files</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="539"/>
        <source>Khôi phục sẽ thay cơ sở dữ liệu hiện tại bằng bản sao lưu này (cơ sở dữ liệu hiện tại được cất lại bên cạnh). Phần mềm sẽ đóng và khôi phục khi mở lại.</source>
        <translation>Restoring replaces the current database with this backup (the current database is kept aside next to it). The program will close and restore when it is opened again.</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="545"/>
        <source>Khôi phục từ bản sao lưu</source>
        <translation>Restore from a backup</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="551"/>
        <source>Đóng phần mềm và khôi phục</source>
        <translation>Close the program and restore</translation>
    </message>
    <message>
        <location filename="../../ui/admin_screen.py" line="553"/>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>BatchPanel</name>
    <message>
        <location filename="../../ui/batch_scan.py" line="87"/>
        <source>Nhận lô quét</source>
        <translation>File scanned batch</translation>
    </message>
    <message>
        <location filename="../../ui/batch_scan.py" line="91"/>
        <source>Tách xấp giấy đã scan tại các phiếu tách và đính kèm từng giấy tờ vào hồ sơ của nó (Ctrl+B). Lấy các tệp mới từ máy scan; chưa có tệp nào thì chọn tệp.</source>
        <translation>Split the scanned stack at its separator sheets and attach each document to its dossier (Ctrl+B). Takes the new files from the scanner; when there are none, choose files.</translation>
    </message>
    <message>
        <location filename="../../ui/batch_scan.py" line="96"/>
        <source>Bỏ trang trắng</source>
        <translation>Drop blank pages</translation>
    </message>
    <message>
        <location filename="../../ui/batch_scan.py" line="99"/>
        <source>Không đính kèm các trang trắng (mặt sau của giấy in một mặt)</source>
        <translation>Do not attach blank pages (the backs of single-sided papers)</translation>
    </message>
    <message>
        <location filename="../../ui/batch_scan.py" line="132"/>
        <source>Chọn các tệp của xấp đã scan, theo thứ tự</source>
        <translation>Choose the files of the scanned stack, in order</translation>
    </message>
    <message>
        <location filename="../../ui/batch_scan.py" line="136"/>
        <source>Ảnh và PDF ({patterns})</source>
        <translation>Images and PDF ({patterns})</translation>
    </message>
    <message>
        <location filename="../../ui/batch_scan.py" line="149"/>
        <source>Máy này chưa có thư mục dữ liệu để để riêng các trang.</source>
        <translation>This computer has no data folder to set pages aside in.</translation>
    </message>
    <message>
        <location filename="../../ui/batch_scan.py" line="172"/>
        <source>Không nhận được lô quét ({error}); các tệp vẫn còn nguyên, hãy thử lại.</source>
        <translation>Could not file the scanned batch ({error}); the files are untouched, please try again.</translation>
    </message>
    <message>
        <location filename="../../ui/batch_scan.py" line="177"/>
        <source>Đang đọc {files} tệp…</source>
        <translation>Reading {files} files…</translation>
    </message>
    <message>
        <location filename="../../ui/batch_scan.py" line="190"/>
        <source>Đã đọc {pages} trang · tệp {file}/{files}: {where}</source>
        <translation>Read {pages} pages · file {file}/{files}: {where}</translation>
    </message>
    <message>
        <location filename="../../ui/batch_scan.py" line="198"/>
        <source>Lô vừa nhận: {filed} giấy tờ đính kèm, {aside} trang để riêng.</source>
        <translation>Last batch: {filed} documents attached, {aside} pages set aside.</translation>
    </message>
    <message>
        <location filename="../../ui/batch_scan.py" line="227"/>
        <source>Đã kiểm tra các bản PDF và xóa {count} tệp gốc khỏi thư mục máy scan.</source>
        <translation>Checked the PDFs and removed {count} original files from the scanner folder.</translation>
    </message>
    <message>
        <location filename="../../ui/batch_scan.py" line="230"/>
        <source>Giữ lại trong thư mục máy scan: {reasons}</source>
        <translation>Kept in the scanner folder: {reasons}</translation>
    </message>
</context>
<context>
    <name>BatchSummaryDialog</name>
    <message>
        <location filename="../../ui/batch_scan.py" line="247"/>
        <source>Kết quả nhận lô quét</source>
        <translation>Scanned batch result</translation>
    </message>
    <message>
        <location filename="../../ui/batch_scan.py" line="251"/>
        <source>Đã đọc {pages} trang từ {files} tệp: đính kèm {filed} giấy tờ, để riêng {aside} trang, bỏ {blank} trang trắng.</source>
        <translation>Read {pages} pages from {files} files: attached {filed} documents, set aside {aside} pages, dropped {blank} blank pages.</translation>
    </message>
    <message>
        <location filename="../../ui/batch_scan.py" line="280"/>
        <source>ĐÃ ĐÍNH KÈM</source>
        <translation>ATTACHED</translation>
    </message>
    <message>
        <location filename="../../ui/batch_scan.py" line="284"/>
        <source>  • Giấy tờ {number}. {name}: {pages} trang, {size}</source>
        <translation>  • Document {number}. {name}: {pages} pages, {size}</translation>
    </message>
    <message>
        <location filename="../../ui/batch_scan.py" line="292"/>
        <source>Hồ sơ {label}:</source>
        <translation>Dossier {label}:</translation>
    </message>
    <message>
        <location filename="../../ui/batch_scan.py" line="295"/>
        <source>Chưa đính kèm giấy tờ nào.</source>
        <translation>No document was attached.</translation>
    </message>
    <message>
        <location filename="../../ui/batch_scan.py" line="298"/>
        <source>ĐỂ RIÊNG, CHƯA ĐÍNH KÈM (không đoán hồ sơ nào)</source>
        <translation>SET ASIDE, NOT ATTACHED (no dossier guessed)</translation>
    </message>
    <message>
        <location filename="../../ui/batch_scan.py" line="301"/>
        <source>{file}, trang {page}</source>
        <translation>{file}, page {page}</translation>
    </message>
    <message>
        <location filename="../../ui/batch_scan.py" line="309"/>
        <source>Bản chép các trang để riêng và lý do (LY-DO.txt) ở {folder}; tệp gốc vẫn ở chỗ cũ. Hãy in lại phiếu tách đúng hồ sơ rồi scan lại, hoặc đính kèm bằng tay.</source>
        <translation>Copies of the set-aside pages and the reasons (LY-DO.txt) are in {folder}; the original files stay where they were. Print the right dossier&apos;s separator again and rescan, or attach by hand.</translation>
    </message>
    <message>
        <location filename="../../ui/batch_scan.py" line="317"/>
        <source>Bỏ {count} trang trắng (theo cài đặt «Bỏ trang trắng»).</source>
        <translation>Dropped {count} blank pages (setting «Drop blank pages»).</translation>
    </message>
</context>
<context>
    <name>CaptureDialog</name>
    <message>
        <location filename="../../ui/camera.py" line="24"/>
        <source>Không dùng được camera: máy thiếu thư viện đa phương tiện của hệ thống. Hãy dùng máy scan hoặc chọn tệp ảnh.</source>
        <translation>The camera cannot be used: this PC lacks the system&apos;s multimedia libraries. Use the scanner or choose image files.</translation>
    </message>
    <message>
        <location filename="../../ui/camera.py" line="30"/>
        <source>Không tìm thấy camera trên máy này. Hãy cắm camera rồi mở lại màn hình, hoặc dùng máy scan.</source>
        <translation>No camera found on this PC. Plug one in and open this screen again, or use the scanner.</translation>
    </message>
    <message>
        <location filename="../../ui/camera.py" line="48"/>
        <source>Chụp ảnh giấy tờ</source>
        <translation>Photograph a document</translation>
    </message>
    <message>
        <location filename="../../ui/camera.py" line="60"/>
        <source>Chụp (Space)</source>
        <translation>Capture (Space)</translation>
    </message>
    <message>
        <location filename="../../ui/camera.py" line="64"/>
        <source>Xong</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../ui/camera.py" line="67"/>
        <source>Đặt giấy tờ phẳng, đủ sáng, chiếm gần hết khung hình.</source>
        <translation>Lay the paper flat, well lit, filling most of the frame.</translation>
    </message>
</context>
<context>
    <name>DailyBackup</name>
    <message>
        <location filename="../../ui/backup_schedule.py" line="64"/>
        <source>Đã sao lưu tự động vào {folder}.</source>
        <translation>Automatic backup made in {folder}.</translation>
    </message>
    <message>
        <location filename="../../ui/backup_schedule.py" line="69"/>
        <source>Sao lưu tự động không thành công: {error}</source>
        <translation>Automatic backup failed: {error}</translation>
    </message>
</context>
<context>
    <name>DigitizeScreen</name>
    <message>
        <location filename="../../ui/digitize_screen.py" line="172"/>
        <source>Đang xử lý các trang; chờ xong rồi hãy mở hồ sơ khác.</source>
        <translation>Pages are being processed; wait until it is done before opening another dossier.</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_screen.py" line="215"/>
        <source>{label} của {person}</source>
        <translation>{label} of {person}</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_screen.py" line="224"/>
        <source>Trên khay có {pages} trang chuẩn bị cho {owner}.
Bạn đang mở {opening} của {person}.</source>
        <translation>The tray holds {pages} pages prepared for {owner}.
You are opening {opening} of {person}.</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_screen.py" line="235"/>
        <source>Các trang chưa đính kèm</source>
        <translation>Pages not yet attached</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_screen.py" line="243"/>
        <source>Các trang không được chuyển sang hồ sơ khác. Đính kèm: ghép vào giấy tờ {number} của {owner} rồi mở hồ sơ mới. Giữ lại: các trang chờ hồ sơ của {person}, mở lại hồ sơ đó là có lại. Bỏ: xóa các trang khỏi khay.</source>
        <translation>Pages are never moved to another dossier. Attach: assemble them into document {number} of {owner}, then open the new dossier. Keep: the pages wait for {person}&apos;s dossier and come back when it is opened again. Discard: remove the pages from the tray.</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_screen.py" line="249"/>
        <source>Đính kèm vào giấy tờ {number}</source>
        <translation>Attach to document {number}</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_screen.py" line="250"/>
        <source>Giữ lại cho {person}</source>
        <translation>Keep for {person}</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_screen.py" line="251"/>
        <source>Bỏ các trang</source>
        <translation>Discard the pages</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_screen.py" line="252"/>
        <source>Ở lại hồ sơ này</source>
        <translation>Stay on this dossier</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_screen.py" line="305"/>
        <source>Đã giữ {pages} trang cho {owner}.</source>
        <translation>Kept {pages} pages for {owner}.</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_screen.py" line="326"/>
        <source>Đã đưa lại {pages} trang giữ cho hồ sơ này lên khay.</source>
        <translation>Put the {pages} pages kept for this dossier back on the tray.</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_screen.py" line="334"/>
        <source>Ảnh và PDF ({patterns})</source>
        <translation>Images and PDF ({patterns})</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_screen.py" line="335"/>
        <source>Chọn ảnh hoặc PDF</source>
        <translation>Choose images or PDFs</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_screen.py" line="372"/>
        <source>Có tệp mới từ máy scan: {name}</source>
        <translation>New file from the scanner: {name}</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_screen.py" line="381"/>
        <source>Không đọc được tệp «{name}» ({error}); hãy thử lại.</source>
        <translation>Could not read the file «{name}» ({error}); try again.</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_screen.py" line="403"/>
        <source>Hãy mở hồ sơ (và chọn giấy tờ) trước khi in phiếu tách.</source>
        <translation>Open a dossier (and choose a document) before printing separators.</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_screen.py" line="412"/>
        <source>Không in được phiếu tách: {error}</source>
        <translation>Could not print the separators: {error}</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_screen.py" line="417"/>
        <source>Phiếu tách — {dossier}</source>
        <translation>Separators — {dossier}</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_screen.py" line="474"/>
        <source>Hãy mở hồ sơ và chọn giấy tờ cần đính kèm.</source>
        <translation>Open a dossier and choose the document to attach to.</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_screen.py" line="477"/>
        <source>Chưa có trang nào; hãy thêm tệp, lấy từ máy scan hoặc chụp ảnh.</source>
        <translation>No pages yet; add files, take them from the scanner or take a photo.</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_screen.py" line="510"/>
        <source>Đang ghép {pages} trang thành PDF…</source>
        <translation>Putting {pages} pages together into a PDF…</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_screen.py" line="527"/>
        <source>Tệp {names} được ghép cùng tệp khác nên bản đính kèm không còn chữ ký số của tệp đó; hãy đính kèm riêng tệp đã ký để giữ chữ ký.</source>
        <translation>{names} was assembled with other files, so the attached copy no longer carries its digital signature; attach the signed file on its own to keep the signature.</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_screen.py" line="543"/>
        <source>Chữ ký số không hợp lệ</source>
        <translation>Invalid digital signature</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_screen.py" line="545"/>
        <source>Chưa đính kèm gì. Đính kèm dù chữ ký hỏng: tệp được lưu và chữ ký hỏng được ghi lại, hiển thị trong hồ sơ. Không đính kèm: các trang vẫn trên khay.</source>
        <translation>Nothing has been attached. Attach anyway: the file is stored and the broken signature is recorded and shown in the dossier. Do not attach: the pages stay on the tray.</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_screen.py" line="548"/>
        <source>Vẫn đính kèm</source>
        <translation>Attach anyway</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_screen.py" line="549"/>
        <source>Không đính kèm</source>
        <translation>Do not attach</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_screen.py" line="560"/>
        <source>Đã đính kèm {pages} trang ({size}) vào giấy tờ {number} của {dossier}.</source>
        <translation>Attached {pages} pages ({size}) to document {number} of {dossier}.</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_screen.py" line="571"/>
        <source>Không nhận dạng được chữ trên bản quét (OCR): {error}</source>
        <translation>Could not recognise the text on the scan (OCR): {error}</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_screen.py" line="599"/>
        <source>Giữ lại tệp gốc trong thư mục máy scan: {reasons}</source>
        <translation>The original files stay in the scanner folder: {reasons}</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_screen.py" line="602"/>
        <source>Đã kiểm tra bản PDF và xóa {count} tệp gốc khỏi thư mục máy scan.</source>
        <translation>The PDF was checked and {count} original files were deleted from the scanner folder.</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_screen.py" line="619"/>
        <source>Đã dùng lại bản số hóa cũ cho giấy tờ {number}.</source>
        <translation>Reused the earlier digitized copy for document {number}.</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_screen.py" line="636"/>
        <source>Đã gỡ bản số hóa khỏi giấy tờ {number}.</source>
        <translation>Detached the digitized copy from document {number}.</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_screen.py" line="662"/>
        <source>Trên khay còn {pages} trang chưa đính kèm; hãy đính kèm hoặc xóa chúng trước khi sửa bản đã đính kèm.</source>
        <translation>The tray still holds {pages} pages not yet attached; attach or remove them before editing the attached copy.</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_screen.py" line="683"/>
        <source>Không ghép hoặc lưu được ({error}); các trang vẫn còn, hãy thử lại.</source>
        <translation>Could not assemble or save ({error}); the pages are still here, try again.</translation>
    </message>
</context>
<context>
    <name>DigitizeView</name>
    <message>
        <location filename="../../ui/digitize_view.py" line="104"/>
        <source>Số hóa giấy tờ</source>
        <translation>Digitize documents</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_view.py" line="108"/>
        <source>Mã hồ sơ (gõ hoặc quét mã vạch)</source>
        <translation>Dossier code (type or scan the barcode)</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_view.py" line="110"/>
        <source>Mở</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_view.py" line="111"/>
        <source>Hồ sơ nháp</source>
        <translation>Drafts</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_view.py" line="118"/>
        <source>Chưa mở hồ sơ nào: nhập mã hồ sơ hoặc chọn hồ sơ nháp.</source>
        <translation>No dossier open: type a dossier code or choose a draft.</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_view.py" line="160"/>
        <source>Xem</source>
        <translation>View</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_view.py" line="161"/>
        <source>Xem bản PDF đã đính kèm</source>
        <translation>View the attached PDF</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_view.py" line="162"/>
        <source>Sửa trang</source>
        <translation>Edit pages</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_view.py" line="163"/>
        <source>Đưa các trang của bản đã đính kèm lên để sửa</source>
        <translation>Put the attached copy&apos;s pages back on the strip to edit them</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_view.py" line="164"/>
        <source>Gỡ bỏ</source>
        <translation>Detach</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_view.py" line="165"/>
        <source>Gỡ bản PDF khỏi giấy tờ này (tệp vẫn được giữ)</source>
        <translation>Detach the PDF from this document (the file is kept)</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_view.py" line="169"/>
        <source>In phiếu tách</source>
        <translation>Print separators</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_view.py" line="173"/>
        <source>In phiếu tách cho mọi giấy tờ chưa số hóa (Ctrl+P), hoặc chỉ giấy tờ đang chọn (Ctrl+Shift+P), để scan cả xấp một lần rồi bấm «Nhận lô quét»</source>
        <translation>Print a separator sheet for every document not yet digitized (Ctrl+P), or for the chosen document only (Ctrl+Shift+P), to scan the whole stack at once and then press «File scanned batch»</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_view.py" line="177"/>
        <source>Dùng lại từ hồ sơ trước</source>
        <translation>Reuse from earlier dossiers</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_view.py" line="185"/>
        <source>Dùng lại bản này</source>
        <translation>Reuse this copy</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_view.py" line="186"/>
        <source>Giấy tờ của hồ sơ</source>
        <translation>Documents of the dossier</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_view.py" line="196"/>
        <source>Các trang</source>
        <translation>Pages</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_view.py" line="199"/>
        <source>Thêm tệp…</source>
        <translation>Add files…</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_view.py" line="200"/>
        <source>Ảnh JPEG, PNG, TIFF hoặc PDF (Ctrl+O); có thể kéo thả</source>
        <translation>JPEG, PNG, TIFF images or PDF (Ctrl+O); drag and drop works too</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_view.py" line="201"/>
        <source>Chụp ảnh</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_view.py" line="203"/>
        <source>Xoay trái (Shift+R)</source>
        <translation>Rotate left (Shift+R)</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_view.py" line="206"/>
        <source>Xoay phải (R)</source>
        <translation>Rotate right (R)</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_view.py" line="209"/>
        <source>Đưa trang lên trước (Ctrl+←)</source>
        <translation>Move page earlier (Ctrl+←)</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_view.py" line="212"/>
        <source>Đưa trang ra sau (Ctrl+→)</source>
        <translation>Move page later (Ctrl+→)</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_view.py" line="214"/>
        <source>✕ Xóa trang</source>
        <translation>✕ Delete page</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_view.py" line="215"/>
        <source>Xóa các trang đang chọn (Delete)</source>
        <translation>Delete the selected pages (Delete)</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_view.py" line="217"/>
        <source>Xóa hết</source>
        <translation>Clear all</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_view.py" line="244"/>
        <source>Nhận dạng chữ (OCR) để tìm kiếm</source>
        <translation>Recognise text (OCR) for search</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_view.py" line="247"/>
        <source>Ghép và đính kèm</source>
        <translation>Assemble and attach</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_view.py" line="249"/>
        <source>Ghép các trang thành một PDF và đính kèm (Ctrl+Enter)</source>
        <translation>Assemble the pages into one PDF and attach it (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_view.py" line="271"/>
        <source>Chụp giấy tờ bằng camera của máy</source>
        <translation>Photograph the document with this PC&apos;s camera</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_view.py" line="294"/>
        <source> (CCCD {cccd})</source>
        <translation> (ID {cccd})</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_view.py" line="314"/>
        <source>Đã đính kèm · {pages} trang · {size}</source>
        <translation>Attached · {pages} pages · {size}</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_view.py" line="318"/>
        <source>Bản số hóa lưu ở máy chủ tỉnh</source>
        <translation>Digitized copy kept on the provincial server</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_view.py" line="320"/>
        <source>Chưa có bản số hóa</source>
        <translation>Not digitized yet</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_view.py" line="339"/>
        <source>{dossier}
{date} · {pages} trang · {size}</source>
        <translation>{dossier}
{date} · {pages} pages · {size}</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_view.py" line="373"/>
        <source>Đang xử lý…</source>
        <translation>Working…</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_view.py" line="376"/>
        <source>{pages} trang từ {files} tệp · {size}</source>
        <translation>{pages} pages from {files} files · {size}</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_view.py" line="380"/>
        <source> → giấy tờ {number}</source>
        <translation> → document {number}</translation>
    </message>
    <message>
        <location filename="../../ui/digitize_view.py" line="383"/>
        <source>Kéo thả tệp vào đây, hoặc lấy tệp từ máy scan.</source>
        <translation>Drop files here, or take them from the scanner.</translation>
    </message>
</context>
<context>
    <name>DocumentChecklist</name>
    <message>
        <location filename="../../ui/checklist.py" line="46"/>
        <source>Giấy tờ</source>
        <translation>Document</translation>
    </message>
    <message>
        <location filename="../../ui/checklist.py" line="46"/>
        <source>Hình thức</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../ui/checklist.py" line="46"/>
        <source>Số lượng</source>
        <translation>Quantity</translation>
    </message>
    <message>
        <location filename="../../ui/checklist.py" line="76"/>
        <source> (nếu có)</source>
        <translation> (if any)</translation>
    </message>
</context>
<context>
    <name>DossierActionBar</name>
    <message>
        <location filename="../../ui/dossier_actions.py" line="182"/>
        <source>In giấy tiếp nhận</source>
        <translation>Print receipt</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_actions.py" line="183"/>
        <source>In phiếu kiểm soát</source>
        <translation>Print control sheet</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_actions.py" line="184"/>
        <source>Nhận hồ sơ bổ sung</source>
        <translation>Supplement received</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_actions.py" line="185"/>
        <source>Yêu cầu bổ sung…</source>
        <translation>Request supplement…</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_actions.py" line="186"/>
        <source>Từ chối…</source>
        <translation>Refuse…</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_actions.py" line="187"/>
        <source>Xin lỗi, hẹn lại…</source>
        <translation>Apologize and reschedule…</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_actions.py" line="188"/>
        <source>Dừng giải quyết…</source>
        <translation>Stop processing…</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_actions.py" line="267"/>
        <source>Yêu cầu bổ sung, hoàn thiện hồ sơ</source>
        <translation>Request to supplement and complete the dossier</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_actions.py" line="279"/>
        <source>Từ chối tiếp nhận, giải quyết hồ sơ</source>
        <translation>Refuse to receive or process the dossier</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_actions.py" line="291"/>
        <source>Xin lỗi và hẹn lại ngày trả kết quả</source>
        <translation>Apologize and reschedule the result date</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_actions.py" line="305"/>
        <source>Dừng giải quyết hồ sơ</source>
        <translation>Stop processing the dossier</translation>
    </message>
</context>
<context>
    <name>DossierDetail</name>
    <message>
        <location filename="../../ui/dossier_detail.py" line="91"/>
        <source>Quá hạn</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="102"/>
        <source>Người nộp hồ sơ</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="106"/>
        <source>Tiếp nhận và hẹn trả</source>
        <translation>Reception and due date</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="115"/>
        <source>Thành phần hồ sơ</source>
        <translation>Dossier documents</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="118"/>
        <source>STT</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="119"/>
        <source>Giấy tờ</source>
        <translation>Document</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="120"/>
        <source>Hình thức</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="121"/>
        <source>Số lượng</source>
        <translation>Quantity</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="122"/>
        <source>Đã nộp</source>
        <translation>Submitted</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="123"/>
        <source>Bản số hóa</source>
        <translation>Digital copy</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="134"/>
        <source>Xem bản số hóa kết quả</source>
        <translation>View result scan</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="141"/>
        <source>Quá trình giải quyết</source>
        <translation>Processing history</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="144"/>
        <source>Thời gian</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="145"/>
        <source>Sự kiện</source>
        <translation>Event</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="146"/>
        <source>Người thực hiện</source>
        <translation>Performed by</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="147"/>
        <source>Ghi chú</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="170"/>
        <source>Người được ủy quyền</source>
        <translation>Representative</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="171"/>
        <source>CCCD người được ủy quyền</source>
        <translation>Representative&apos;s citizen ID</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="178"/>
        <source>Hẹn trả lần đầu</source>
        <translation>First appointment</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="180"/>
        <source>Hẹn lại (xin lỗi)</source>
        <translation>New appointment (apology)</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="191"/>
        <source>Có (PDF, chữ ký số hợp lệ: {signer})</source>
        <translation>Yes (PDF, valid digital signature: {signer})</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="192"/>
        <source>Có (PDF, chữ ký số chưa được tin cậy: {signer})</source>
        <translation>Yes (PDF, digital signature not trusted: {signer})</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="193"/>
        <source>Có (PDF, CHỮ KÝ SỐ KHÔNG HỢP LỆ)</source>
        <translation>Yes (PDF, DIGITAL SIGNATURE INVALID)</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="200"/>
        <source>Bản số hóa kết quả giải quyết: chưa có.</source>
        <translation>Result scan: none yet.</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="204"/>
        <source>Bản số hóa kết quả giải quyết: có (số hóa lúc {at}, trên máy khác), chưa tải về máy này; hãy đồng bộ để xem.</source>
        <translation>Result scan: yes (digitized at {at} on another PC), not downloaded to this PC yet; sync to view it.</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="207"/>
        <source>Bản số hóa kết quả giải quyết: {pages} trang, số hóa lúc {at}.</source>
        <translation>Result scan: {pages} pages, digitized at {at}.</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="237"/>
        <source>Họ và tên</source>
        <translation>Full name</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="238"/>
        <source>Số CCCD</source>
        <translation>Citizen ID no.</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="239"/>
        <source>Ngày sinh</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="240"/>
        <source>Địa chỉ</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="241"/>
        <source>Điện thoại</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="242"/>
        <source>Email</source>
        <translation>Email</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="249"/>
        <source> (không phụ thuộc địa giới hành chính)</source>
        <translation> (regardless of administrative boundaries)</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="253"/>
        <source>Ngày nhận</source>
        <translation>Received</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="254"/>
        <source>Hẹn trả</source>
        <translation>Due</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="256"/>
        <source>Thời hạn giải quyết</source>
        <translation>Processing time</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="257"/>
        <source>Cán bộ tiếp nhận</source>
        <translation>Received by</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="258"/>
        <source>Hình thức nộp</source>
        <translation>Submission channel</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="259"/>
        <source>Nơi trả kết quả</source>
        <translation>Result delivery</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="260"/>
        <source>Đơn vị giải quyết</source>
        <translation>Processing unit</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="261"/>
        <source>Lệ phí, phí</source>
        <translation>Fees and charges</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="263"/>
        <source>Sổ theo dõi</source>
        <translation>Register</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="264"/>
        <source>Quyển {volume}, số {entry}</source>
        <translation>Volume {volume}, entry {entry}</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="278"/>
        <source>Chưa nộp</source>
        <translation>Not submitted</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="189"/>
        <location filename="../../ui/dossier_detail.py" line="194"/>
        <source>Có (PDF)</source>
        <translation>Yes (PDF)</translation>
    </message>
</context>
<context>
    <name>DossierDetailDialog</name>
    <message>
        <location filename="../../ui/dossier_detail.py" line="323"/>
        <source>Hồ sơ {code}</source>
        <translation>Dossier {code}</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_detail.py" line="328"/>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>DossierListWidget</name>
    <message>
        <location filename="../../ui/dossier_list.py" line="315"/>
        <source>Hồ sơ đã tiếp nhận</source>
        <translation>Received dossiers</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="332"/>
        <source>Mã hồ sơ, số CCCD hoặc tên người nộp — quét mã vạch để mở ngay</source>
        <translation>Dossier code, citizen ID or applicant name — scan a barcode to open it directly</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="335"/>
        <source>Mọi trạng thái</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="341"/>
        <source>Mọi thời gian</source>
        <translation>All time</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="342"/>
        <source>Hôm nay</source>
        <translation>Today</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="343"/>
        <source>7 ngày qua</source>
        <translation>Last 7 days</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="344"/>
        <source>30 ngày qua</source>
        <translation>Last 30 days</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="345"/>
        <source>Năm nay</source>
        <translation>This year</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="346"/>
        <source>Khoảng ngày…</source>
        <translation>Date range…</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="355"/>
        <location filename="../../ui/dossier_list.py" line="362"/>
        <source>Mọi thủ tục</source>
        <translation>All procedures</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="369"/>
        <source>Quá hạn</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="370"/>
        <source>Tìm theo chữ trên bản quét</source>
        <translation>Search the words on scans</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="373"/>
        <source>Tìm các hồ sơ có bản số hóa chứa những chữ đã gõ (chữ nhận dạng bằng OCR)</source>
        <translation>Find the dossiers whose scans hold the words typed (text recognised by OCR)</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="375"/>
        <source>Xóa lọc</source>
        <translation>Clear filters</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="473"/>
        <source>{count} hồ sơ</source>
        <translation>{count} dossiers</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="552"/>
        <source>Không tìm thấy hồ sơ mã {code}.</source>
        <translation>No dossier found with code {code}.</translation>
    </message>
</context>
<context>
    <name>DossierTableModel</name>
    <message>
        <location filename="../../ui/dossier_list.py" line="172"/>
        <source>Mã hồ sơ</source>
        <translation>Dossier code</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="173"/>
        <source>Thủ tục</source>
        <translation>Procedure</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="174"/>
        <source>Người nộp</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="175"/>
        <source>Ngày nhận</source>
        <translation>Received</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="176"/>
        <source>Hẹn trả</source>
        <translation>Due</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="177"/>
        <source>Trạng thái</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="190"/>
        <source>{due} (hẹn lại {new})</source>
        <translation>{due} (new date {new})</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="215"/>
        <source>Hẹn trả lần đầu {first}; tính lại sau khi nhận hồ sơ bổ sung</source>
        <translation>First appointment {first}; recomputed once the supplement was received</translation>
    </message>
    <message>
        <location filename="../../ui/dossier_list.py" line="221"/>
        <source>Đã xin lỗi, hẹn lại ngày {new}</source>
        <translation>Apologised, new appointment {new}</translation>
    </message>
</context>
<context>
    <name>DraftsMenu</name>
    <message>
        <location filename="../../ui/drafts_menu.py" line="34"/>
        <source>Không có hồ sơ nháp</source>
        <translation>No drafts</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <location filename="../../ui/crash_dialog.py" line="53"/>
        <source>Lỗi không mong đợi</source>
        <translation>Unexpected error</translation>
    </message>
    <message>
        <location filename="../../ui/crash_dialog.py" line="58"/>
        <source>Chương trình gặp một lỗi không mong đợi. Những gì đã lưu trước đó không bị mất; hãy làm lại thao tác vừa rồi. Nếu lỗi lặp lại, hãy bấm &quot;Sao chép chi tiết&quot; và gửi cho quản trị hệ thống.</source>
        <translation>The program met an unexpected error. What was saved before is not lost; do the last step again. If the error comes back, press &quot;Copy details&quot; and send them to the system administrator.</translation>
    </message>
    <message>
        <location filename="../../ui/crash_dialog.py" line="68"/>
        <source>Nhật ký lỗi: {path}</source>
        <translation>Error log: {path}</translation>
    </message>
    <message>
        <location filename="../../ui/crash_dialog.py" line="70"/>
        <source>Chưa có tệp nhật ký (thư mục dữ liệu chưa được tạo).</source>
        <translation>No log file yet (the data directory has not been created).</translation>
    </message>
    <message>
        <location filename="../../ui/crash_dialog.py" line="81"/>
        <source>Sao chép chi tiết</source>
        <translation>Copy details</translation>
    </message>
    <message>
        <location filename="../../ui/crash_dialog.py" line="85"/>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../ui/crash_dialog.py" line="102"/>
        <source>{count} lỗi; lỗi mới nhất: {summary}</source>
        <translation>{count} errors; the latest: {summary}</translation>
    </message>
</context>
<context>
    <name>FeeDialog</name>
    <message>
        <location filename="../../ui/fee_fields.py" line="250"/>
        <source>Thu phí, lệ phí — {code}</source>
        <translation>Fee collection — {code}</translation>
    </message>
    <message>
        <location filename="../../ui/fee_fields.py" line="265"/>
        <source>Ghi nhận và in biên lai</source>
        <translation>Record and print the receipt</translation>
    </message>
    <message>
        <location filename="../../ui/fee_fields.py" line="265"/>
        <source>Ghi nhận</source>
        <translation>Record</translation>
    </message>
    <message>
        <location filename="../../ui/fee_fields.py" line="267"/>
        <source>Để sau</source>
        <translation>Later</translation>
    </message>
    <message>
        <location filename="../../ui/fee_fields.py" line="281"/>
        <source>In hỏng, kẹt giấy, ghi sai…</source>
        <translation>Misprinted, paper jam, wrong details…</translation>
    </message>
    <message>
        <location filename="../../ui/fee_fields.py" line="283"/>
        <source>Hủy biên lai</source>
        <translation>Cancel receipt</translation>
    </message>
    <message>
        <location filename="../../ui/fee_fields.py" line="288"/>
        <source>Lý do hủy</source>
        <translation>Reason for cancelling</translation>
    </message>
    <message>
        <location filename="../../ui/fee_fields.py" line="293"/>
        <source>Hồ sơ {code}</source>
        <translation>Dossier {code}</translation>
    </message>
    <message>
        <location filename="../../ui/fee_fields.py" line="304"/>
        <source>Đã thu {amount}, biên lai mẫu số {form}, ký hiệu {series}, số {number}. Biên lai hủy vẫn giữ số của nó; khoản thu được in lại với số tiếp theo.</source>
        <translation>Collected {amount}, receipt form {form}, series {series}, number {number}. A cancelled receipt keeps its number; the payment is printed again under the next number.</translation>
    </message>
    <message>
        <location filename="../../ui/fee_fields.py" line="315"/>
        <source>Phí, lệ phí của hồ sơ này đã được ghi nhận.</source>
        <translation>The fee of this dossier has already been recorded.</translation>
    </message>
    <message>
        <location filename="../../ui/fee_fields.py" line="385"/>
        <source>Biên lai thu phí, lệ phí — {code}</source>
        <translation>Fee receipt — {code}</translation>
    </message>
    <message>
        <location filename="../../ui/fee_fields.py" line="392"/>
        <source>Không in được biên lai: {error}</source>
        <translation>Could not print the receipt: {error}</translation>
    </message>
</context>
<context>
    <name>FeeFields</name>
    <message>
        <location filename="../../ui/fee_fields.py" line="73"/>
        <source>Tiền mặt</source>
        <translation>Cash</translation>
    </message>
    <message>
        <location filename="../../ui/fee_fields.py" line="74"/>
        <source>Chuyển khoản</source>
        <translation>Bank transfer</translation>
    </message>
    <message>
        <location filename="../../ui/fee_fields.py" line="75"/>
        <source>Miễn thu</source>
        <translation>Exempt</translation>
    </message>
    <message>
        <location filename="../../ui/fee_fields.py" line="83"/>
        <source>theo danh mục</source>
        <translation>as in the catalog</translation>
    </message>
    <message>
        <location filename="../../ui/fee_fields.py" line="89"/>
        <source>đồng</source>
        <translation>VND</translation>
    </message>
    <message>
        <location filename="../../ui/fee_fields.py" line="92"/>
        <source>Mã giao dịch trên chứng từ ngân hàng</source>
        <translation>Transaction reference on the bank slip</translation>
    </message>
    <message>
        <location filename="../../ui/fee_fields.py" line="95"/>
        <source>Đối tượng được miễn, căn cứ</source>
        <translation>Who is exempt, and on what grounds</translation>
    </message>
    <message>
        <location filename="../../ui/fee_fields.py" line="114"/>
        <source>Số biên lai điện tử của nhà cung cấp</source>
        <translation>The provider&apos;s electronic receipt number</translation>
    </message>
    <message>
        <location filename="../../ui/fee_fields.py" line="117"/>
        <source>Nhập hoặc quét mã tra cứu</source>
        <translation>Type or scan the look-up code</translation>
    </message>
    <message>
        <location filename="../../ui/fee_fields.py" line="125"/>
        <source>Hình thức</source>
        <translation>Method</translation>
    </message>
    <message>
        <location filename="../../ui/fee_fields.py" line="127"/>
        <source>Số trang</source>
        <translation>Pages</translation>
    </message>
    <message>
        <location filename="../../ui/fee_fields.py" line="128"/>
        <source>Số tiền</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location filename="../../ui/fee_fields.py" line="130"/>
        <source>Mã giao dịch</source>
        <translation>Reference</translation>
    </message>
    <message>
        <location filename="../../ui/fee_fields.py" line="133"/>
        <source>Lý do miễn</source>
        <translation>Exemption reason</translation>
    </message>
    <message>
        <location filename="../../ui/fee_fields.py" line="137"/>
        <source>Số biên lai điện tử</source>
        <translation>E-receipt number</translation>
    </message>
    <message>
        <location filename="../../ui/fee_fields.py" line="138"/>
        <source>Mã tra cứu</source>
        <translation>Look-up code</translation>
    </message>
    <message>
        <location filename="../../ui/fee_fields.py" line="171"/>
        <source>{pages} trang: {amount}</source>
        <translation>{pages} pages: {amount}</translation>
    </message>
</context>
<context>
    <name>IndexChart</name>
    <message>
        <location filename="../../ui/index_panel.py" line="61"/>
        <source>Số hóa khi tiếp nhận</source>
        <translation>Digitized at reception</translation>
    </message>
    <message>
        <location filename="../../ui/index_panel.py" line="62"/>
        <source>Kết quả số hóa</source>
        <translation>Results digitized</translation>
    </message>
    <message>
        <location filename="../../ui/index_panel.py" line="63"/>
        <source>Đúng hạn</source>
        <translation>On time</translation>
    </message>
    <message>
        <location filename="../../ui/index_panel.py" line="64"/>
        <source>Phi địa giới</source>
        <translation>Boundary-free</translation>
    </message>
    <message>
        <location filename="../../ui/index_panel.py" line="92"/>
        <source>Chưa có số liệu</source>
        <translation>No figures yet</translation>
    </message>
</context>
<context>
    <name>IndexPanel</name>
    <message>
        <location filename="../../ui/index_panel.py" line="149"/>
        <source>Tiếp nhận</source>
        <translation>Received</translation>
    </message>
    <message>
        <location filename="../../ui/index_panel.py" line="150"/>
        <source>Số hóa khi nhận</source>
        <translation>Digitized on receipt</translation>
    </message>
    <message>
        <location filename="../../ui/index_panel.py" line="151"/>
        <source>Tỷ lệ số hóa</source>
        <translation>Digitized share</translation>
    </message>
    <message>
        <location filename="../../ui/index_panel.py" line="153"/>
        <source>Kết quả số hóa</source>
        <translation>Results digitized</translation>
    </message>
    <message>
        <location filename="../../ui/index_panel.py" line="152"/>
        <source>Đã giải quyết</source>
        <translation>Resolved</translation>
    </message>
    <message>
        <location filename="../../ui/index_panel.py" line="154"/>
        <source>Tỷ lệ kết quả số hóa</source>
        <translation>Results digitized share</translation>
    </message>
    <message>
        <location filename="../../ui/index_panel.py" line="155"/>
        <source>Đúng hạn</source>
        <translation>On time</translation>
    </message>
    <message>
        <location filename="../../ui/index_panel.py" line="156"/>
        <source>Tỷ lệ đúng hạn</source>
        <translation>On-time share</translation>
    </message>
    <message>
        <location filename="../../ui/index_panel.py" line="157"/>
        <source>Trực tuyến</source>
        <translation>Online</translation>
    </message>
    <message>
        <location filename="../../ui/index_panel.py" line="158"/>
        <source>Trực tiếp</source>
        <translation>At the counter</translation>
    </message>
    <message>
        <location filename="../../ui/index_panel.py" line="159"/>
        <source>Bưu chính</source>
        <translation>By post</translation>
    </message>
    <message>
        <location filename="../../ui/index_panel.py" line="160"/>
        <source>Phi địa giới</source>
        <translation>Boundary-free</translation>
    </message>
    <message>
        <location filename="../../ui/index_panel.py" line="161"/>
        <source>Tỷ lệ phi địa giới</source>
        <translation>Boundary-free share</translation>
    </message>
    <message>
        <location filename="../../ui/index_panel.py" line="165"/>
        <source>Theo ngày</source>
        <translation>By day</translation>
    </message>
    <message>
        <location filename="../../ui/index_panel.py" line="166"/>
        <source>Theo tháng</source>
        <translation>By month</translation>
    </message>
    <message>
        <location filename="../../ui/index_panel.py" line="167"/>
        <source>Xem chỉ số</source>
        <translation>Show index</translation>
    </message>
    <message>
        <location filename="../../ui/index_panel.py" line="169"/>
        <source>In chỉ số…</source>
        <translation>Print index…</translation>
    </message>
    <message>
        <location filename="../../ui/index_panel.py" line="171"/>
        <source>Xuất Excel…</source>
        <translation>Export Excel…</translation>
    </message>
    <message>
        <location filename="../../ui/index_panel.py" line="189"/>
        <source>Thời gian</source>
        <translation>Period</translation>
    </message>
    <message>
        <location filename="../../ui/index_panel.py" line="190"/>
        <source>Máy tiếp nhận</source>
        <translation>Receiving PC</translation>
    </message>
    <message>
        <location filename="../../ui/index_panel.py" line="225"/>
        <source>Đang tính chỉ số…</source>
        <translation>Computing the index…</translation>
    </message>
    <message>
        <location filename="../../ui/index_panel.py" line="235"/>
        <source>{period} · số liệu tính đến {at}</source>
        <translation>{period} · figures as of {at}</translation>
    </message>
    <message>
        <location filename="../../ui/index_panel.py" line="240"/>
        <location filename="../../ui/index_panel.py" line="241"/>
        <source>Cả kỳ</source>
        <translation>Whole period</translation>
    </message>
    <message>
        <location filename="../../ui/index_panel.py" line="241"/>
        <source>Tổng cộng</source>
        <translation>Total</translation>
    </message>
    <message>
        <location filename="../../ui/index_panel.py" line="260"/>
        <source>Không tính được chỉ số: {error}</source>
        <translation>Could not compute the index: {error}</translation>
    </message>
    <message>
        <location filename="../../ui/index_panel.py" line="269"/>
        <source>Chỉ số số hóa — {period}</source>
        <translation>Digitization index — {period}</translation>
    </message>
    <message>
        <location filename="../../ui/index_panel.py" line="283"/>
        <source>Không in được chỉ số: {error}</source>
        <translation>Could not print the index: {error}</translation>
    </message>
    <message>
        <location filename="../../ui/index_panel.py" line="292"/>
        <source>Xuất chỉ số số hóa</source>
        <translation>Export digitization index</translation>
    </message>
    <message>
        <location filename="../../ui/index_panel.py" line="296"/>
        <source>Bảng tính Excel (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../ui/index_panel.py" line="317"/>
        <source>Không ghi được tệp {path}: {error}</source>
        <translation>Could not write {path}: {error}</translation>
    </message>
</context>
<context>
    <name>Launcher</name>
    <message>
        <location filename="../../ui/launcher.py" line="146"/>
        <source>Không khôi phục được từ bản sao lưu: {error}

Cơ sở dữ liệu hiện tại được giữ nguyên; có thể chọn lại bản sao lưu ở màn hình Quản trị.</source>
        <translation>Could not restore from the backup: {error}

The current database is kept unchanged; you can choose a backup again on the Administration screen.</translation>
    </message>
    <message>
        <location filename="../../ui/launcher.py" line="155"/>
        <source>Đã khôi phục từ {folder} (sao lưu lúc {taken_at}).</source>
        <translation>Restored from {folder} (backup taken at {taken_at}).</translation>
    </message>
    <message>
        <location filename="../../ui/launcher.py" line="161"/>
        <source>Cơ sở dữ liệu trước khi khôi phục được giữ lại: {path}</source>
        <translation>The database from before the restore is kept: {path}</translation>
    </message>
    <message>
        <location filename="../../ui/launcher.py" line="167"/>
        <source>Chú ý: cơ sở dữ liệu cũ còn {count} thay đổi chưa gửi lên máy chủ tỉnh; chúng chỉ còn trong tệp được giữ lại ở trên.</source>
        <translation>Note: the old database still had {count} changes not yet sent to the provincial server; they are only in the file kept above.</translation>
    </message>
    <message>
        <location filename="../../ui/launcher.py" line="174"/>
        <source>Hồ sơ tiếp nhận sau thời điểm sao lưu sẽ được lấy lại từ máy chủ tỉnh ở lần đồng bộ tới; mã hồ sơ đã cấp không bị cấp lại.</source>
        <translation>Dossiers received after the backup was taken come back from the provincial server at the next sync; no dossier code already issued is issued again.</translation>
    </message>
    <message>
        <location filename="../../ui/launcher.py" line="182"/>
        <source>Khôi phục từ bản sao lưu</source>
        <translation>Restore from a backup</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../ui/login_dialog.py" line="44"/>
        <source>Đăng nhập — Một cửa</source>
        <translation>Log in — One-Stop</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="51"/>
        <source>Máy bị khóa do không sử dụng. Nhập mật khẩu để tiếp tục.</source>
        <translation>This computer was locked due to inactivity. Enter your password to continue.</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="53"/>
        <source>Bộ phận tiếp nhận và trả kết quả · máy số {slot}</source>
        <translation>Reception and Results Counter · workstation {slot}</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="62"/>
        <source>tên đăng nhập</source>
        <translation>username</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="75"/>
        <source>Tên đăng nhập</source>
        <translation>Username</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="76"/>
        <source>Mật khẩu</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="81"/>
        <source>Đăng nhập</source>
        <translation>Log in</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="83"/>
        <source>Thoát</source>
        <translation>Exit</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="117"/>
        <source>Chỉ người đang dùng máy mới mở khóa được.</source>
        <translation>Only the user currently signed in can unlock this computer.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="82"/>
        <source>Một cửa — {unit}</source>
        <translation>One-Stop — {unit}</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="90"/>
        <source>Bộ phận Một cửa</source>
        <translation>One-Stop Counter</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="141"/>
        <source>Đăng xuất / đổi người dùng</source>
        <translation>Log out / switch user</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="145"/>
        <source>Khóa máy</source>
        <translation>Lock</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="148"/>
        <source>&amp;Phiên làm việc</source>
        <translation>&amp;Session</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="183"/>
        <source>Tiếp nhận</source>
        <translation>Reception</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="184"/>
        <source>Chuẩn bị hồ sơ</source>
        <translation>Prepare dossier</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="186"/>
        <source>Hồ sơ</source>
        <translation>Dossiers</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="189"/>
        <source>Số hóa</source>
        <translation>Digitize</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="191"/>
        <source>Trả kết quả</source>
        <translation>Returns</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="192"/>
        <source>Báo cáo</source>
        <translation>Reports</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="194"/>
        <source>Quản trị</source>
        <translation>Administration</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="219"/>
        <source>Đã xuất số liệu ra {path}</source>
        <translation>Exported the figures to {path}</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="295"/>
        <source>Đang đính kèm hoặc sao lưu; hãy chờ xong rồi đăng xuất.</source>
        <translation>Attaching or backing up; wait until it is done, then log out.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="308"/>
        <source>Đăng xuất</source>
        <translation>Log out</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="309"/>
        <source>Hồ sơ đang nhập chưa được lưu. Lưu thành hồ sơ nháp trước khi đăng xuất?</source>
        <translation>The dossier being typed is not saved. Save it as a draft before logging out?</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="314"/>
        <source>Lưu nháp và đăng xuất</source>
        <translation>Save draft and log out</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="317"/>
        <source>Bỏ nội dung và đăng xuất</source>
        <translation>Discard and log out</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="320"/>
        <source>Ở lại</source>
        <translation>Stay</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="347"/>
        <source>Chưa đăng xuất: hồ sơ nháp chưa lưu được, hãy sửa các ô báo đỏ.</source>
        <translation>Not logged out: the draft could not be saved; fix the fields marked in red.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="430"/>
        <source>Bản số hóa kết quả — {code}</source>
        <translation>Result scan — {code}</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="444"/>
        <source>Đã tiếp nhận hồ sơ {code}, hẹn trả {due}</source>
        <translation>Dossier {code} received, due {due}</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="457"/>
        <source>Không in được: {error}</source>
        <translation>Could not print: {error}</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="478"/>
        <source>⚠ {n} lỗi</source>
        <translation>⚠ {n} errors</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="490"/>
        <source>Lỗi gần đây</source>
        <translation>Recent errors</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="497"/>
        <source>Nhật ký lỗi: {path}</source>
        <translation>Error log: {path}</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="505"/>
        <source>Đã lưu hồ sơ nháp cho cán bộ tiếp nhận.</source>
        <translation>Draft dossier saved for the reception clerk.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="523"/>
        <source>● Chưa đăng ký máy chủ tỉnh</source>
        <translation>● Not enrolled with the provincial server</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="525"/>
        <source>Máy chưa đăng ký đồng bộ: dữ liệu lưu tại máy (counter-app enrol).</source>
        <translation>This PC is not enrolled for sync: data stays on this PC (counter-app enrol).</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="531"/>
        <source>● Cần đăng ký lại với máy chủ tỉnh</source>
        <translation>● Enrol again with the provincial server</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="533"/>
        <source>● Đang đồng bộ…</source>
        <translation>● Syncing…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="535"/>
        <source>● Trực tuyến</source>
        <translation>● Online</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="537"/>
        <source>● Ngoại tuyến</source>
        <translation>● Offline</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="540"/>
        <source>lần đồng bộ cuối: {at}</source>
        <translation>last sync: {at}</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="542"/>
        <source>chưa đồng bộ lần nào</source>
        <translation>never synced yet</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="547"/>
        <source>{n} lỗi đồng bộ</source>
        <translation>{n} sync problems</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="527"/>
        <location filename="../../ui/main_window.py" line="546"/>
        <source>{n} thay đổi chờ đồng bộ</source>
        <translation>{n} changes pending sync</translation>
    </message>
</context>
<context>
    <name>Operations</name>
    <message>
        <location filename="../../ui/operations.py" line="271"/>
        <source>Không làm được việc này ({error}); những gì đã nhập vẫn còn, hãy thử lại.</source>
        <translation>This could not be done ({error}); what was entered is kept, please try again.</translation>
    </message>
    <message>
        <location filename="../../ui/operations.py" line="279"/>
        <source>Đang xử lý</source>
        <translation>Working</translation>
    </message>
    <message>
        <location filename="../../ui/operations.py" line="287"/>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/operations.py" line="293"/>
        <source>Không làm được</source>
        <translation>Could not do it</translation>
    </message>
</context>
<context>
    <name>PageStrip</name>
    <message>
        <location filename="../../ui/page_strip.py" line="265"/>
        <source>Trang {n}</source>
        <translation>Page {n}</translation>
    </message>
</context>
<context>
    <name>PdfPreviewDialog</name>
    <message>
        <location filename="../../ui/print_preview.py" line="366"/>
        <source>Không in được</source>
        <translation>Could not print</translation>
    </message>
    <message>
        <location filename="../../ui/print_preview.py" line="368"/>
        <source>Máy in “{printer}” không nhận lệnh in. Hãy kiểm tra máy in (đã bật, còn giấy) hoặc chọn nơi lưu khác rồi in lại, hoặc dùng “Lưu PDF…”.</source>
        <translation>The printer “{printer}” did not accept the job. Check the printer (switched on, has paper) or choose another place to save, then print again, or use “Save PDF…”.</translation>
    </message>
    <message>
        <location filename="../../ui/print_preview.py" line="206"/>
        <source>In…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <location filename="../../ui/print_preview.py" line="210"/>
        <source>Vừa chiều rộng</source>
        <translation>Fit width</translation>
    </message>
    <message>
        <location filename="../../ui/print_preview.py" line="211"/>
        <source>Vừa trang</source>
        <translation>Fit page</translation>
    </message>
    <message>
        <location filename="../../ui/print_preview.py" line="212"/>
        <source>Phóng to</source>
        <translation>Zoom in</translation>
    </message>
    <message>
        <location filename="../../ui/print_preview.py" line="214"/>
        <source>Thu nhỏ</source>
        <translation>Zoom out</translation>
    </message>
    <message>
        <location filename="../../ui/print_preview.py" line="217"/>
        <source>Lưu PDF…</source>
        <translation>Save PDF…</translation>
    </message>
    <message>
        <location filename="../../ui/print_preview.py" line="326"/>
        <source>Đang gửi trang đến máy in…</source>
        <translation>Sending pages to the printer…</translation>
    </message>
    <message>
        <location filename="../../ui/print_preview.py" line="326"/>
        <source>Dừng in</source>
        <translation>Stop printing</translation>
    </message>
    <message>
        <location filename="../../ui/print_preview.py" line="329"/>
        <source>Đang in</source>
        <translation>Printing</translation>
    </message>
    <message>
        <location filename="../../ui/print_preview.py" line="335"/>
        <source>Đang gửi trang {page}/{count} đến máy in…</source>
        <translation>Sending page {page}/{count} to the printer…</translation>
    </message>
    <message>
        <location filename="../../ui/print_preview.py" line="351"/>
        <source>Đã dừng in</source>
        <translation>Printing stopped</translation>
    </message>
    <message>
        <location filename="../../ui/print_preview.py" line="353"/>
        <source>Đã dừng in theo yêu cầu. Các trang đã gửi có thể vẫn được máy in in ra; bấm “In…” để in lại cả tài liệu.</source>
        <translation>Printing was stopped as asked. Pages already sent may still come out of the printer; press “Print…” to print the whole document again.</translation>
    </message>
    <message>
        <location filename="../../ui/print_preview.py" line="380"/>
        <source>Lưu PDF</source>
        <translation>Save PDF</translation>
    </message>
    <message>
        <location filename="../../ui/print_preview.py" line="380"/>
        <source>Tệp PDF (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
</context>
<context>
    <name>PreflightDialog</name>
    <message>
        <location filename="../../ui/preflight_dialog.py" line="46"/>
        <source>Kiểm tra máy</source>
        <translation>Check this PC</translation>
    </message>
    <message>
        <location filename="../../ui/preflight_dialog.py" line="56"/>
        <source>Mục</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../ui/preflight_dialog.py" line="56"/>
        <source>Kết quả</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../../ui/preflight_dialog.py" line="56"/>
        <source>Chi tiết</source>
        <translation>Details</translation>
    </message>
    <message>
        <location filename="../../ui/preflight_dialog.py" line="56"/>
        <source>Cách khắc phục</source>
        <translation>How to fix</translation>
    </message>
    <message>
        <location filename="../../ui/preflight_dialog.py" line="65"/>
        <source>Kiểm tra lại</source>
        <translation>Check again</translation>
    </message>
    <message>
        <location filename="../../ui/preflight_dialog.py" line="82"/>
        <source>Đang kiểm tra…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <location filename="../../ui/preflight_dialog.py" line="116"/>
        <source>{count} mục bắt buộc chưa đạt: máy chưa sẵn sàng làm quầy tiếp nhận.</source>
        <translation>{count} required items failed: this PC is not ready to serve as a counter.</translation>
    </message>
    <message>
        <location filename="../../ui/preflight_dialog.py" line="119"/>
        <source>Dùng được; {count} mục nên xem lại.</source>
        <translation>Usable; {count} items are worth a look.</translation>
    </message>
    <message>
        <location filename="../../ui/preflight_dialog.py" line="122"/>
        <source>Mọi mục đều đạt.</source>
        <translation>Every item passed.</translation>
    </message>
    <message>
        <location filename="../../ui/preflight_dialog.py" line="127"/>
        <source>Không kiểm tra được: {error}</source>
        <translation>The check could not run: {error}</translation>
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
        <location filename="../../ui/reception_form.py" line="68"/>
        <location filename="../../ui/reception_form.py" line="377"/>
        <source>Chưa chọn thủ tục</source>
        <translation>No procedure selected</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="72"/>
        <source>Đủ tất cả (Alt+A)</source>
        <translation>Tick all (Alt+A)</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="77"/>
        <source>Thủ tục và thành phần hồ sơ</source>
        <translation>Procedure and dossier documents</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="86"/>
        <source>Số bộ hồ sơ</source>
        <translation>Number of sets</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="92"/>
        <source>12 số, hoặc quét mã QR trên thẻ CCCD</source>
        <translation>12 digits, or scan the QR code on the citizen ID card</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="95"/>
        <location filename="../../ui/reception_form.py" line="208"/>
        <source>Họ và tên</source>
        <translation>Full name</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="96"/>
        <source>dd/mm/yyyy</source>
        <translation>dd/mm/yyyy</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="100"/>
        <source>Nam</source>
        <translation>Male</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="101"/>
        <source>Nữ</source>
        <translation>Female</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="102"/>
        <source>Số nhà, đường, phường/xã, tỉnh</source>
        <translation>House no., street, ward/commune, province</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="103"/>
        <source>Di động hoặc cố định</source>
        <translation>Mobile or landline</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="104"/>
        <source>Không bắt buộc</source>
        <translation>Optional</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="105"/>
        <source>Người nộp hồ sơ</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="107"/>
        <location filename="../../ui/reception_form.py" line="209"/>
        <source>Số CCCD</source>
        <translation>Citizen ID no.</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="108"/>
        <source>Họ và tên *</source>
        <translation>Full name *</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="111"/>
        <source>Giới tính</source>
        <translation>Sex</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="117"/>
        <source>Ngày sinh</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="119"/>
        <source>Địa chỉ *</source>
        <translation>Address *</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="120"/>
        <source>Điện thoại</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="121"/>
        <source>Email</source>
        <translation>Email</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="130"/>
        <source>Tại Bộ phận Một cửa</source>
        <translation>At the One-Stop Counter</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="131"/>
        <source>Qua bưu chính công ích</source>
        <translation>By public postal service</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="133"/>
        <source>Địa chỉ nhận kết quả qua bưu chính</source>
        <translation>Postal address for the result</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="136"/>
        <source>Ghi chú (không bắt buộc)</source>
        <translation>Note (optional)</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="137"/>
        <source>Giải quyết và trả kết quả</source>
        <translation>Processing and result delivery</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="140"/>
        <source>Cơ quan giải quyết</source>
        <translation>Processing agency</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="142"/>
        <source>Nhận kết quả</source>
        <translation>Receive result</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="144"/>
        <source>Địa chỉ nhận</source>
        <translation>Delivery address</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="146"/>
        <source>Ghi chú</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="206"/>
        <source>Người được ủy quyền (nếu có) nộp thay</source>
        <translation>Filed by an authorised representative (if any)</translation>
    </message>
    <message>
        <location filename="../../ui/reception_form.py" line="210"/>
        <source>Quan hệ</source>
        <translation>Relation</translation>
    </message>
</context>
<context>
    <name>ReceptionScreen</name>
    <message>
        <location filename="../../ui/reception_screen.py" line="76"/>
        <source>Chuẩn bị hồ sơ</source>
        <translation>Prepare dossier</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="76"/>
        <source>Tiếp nhận hồ sơ</source>
        <translation>Receive dossier</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="78"/>
        <source>Hồ sơ nháp</source>
        <translation>Drafts</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="82"/>
        <source>Hồ sơ mới (Ctrl+N)</source>
        <translation>New dossier (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="98"/>
        <source>Lưu hồ sơ nháp (Ctrl+Enter)</source>
        <translation>Save draft (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="100"/>
        <source>Tiếp nhận và in (Ctrl+Enter)</source>
        <translation>Receive and print (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="104"/>
        <source>Hướng dẫn bổ sung (F7)</source>
        <translation>Request to supplement (F7)</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="107"/>
        <source>Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (mẫu 02), không tiếp nhận</source>
        <translation>Request to supplement the dossier (form 02), not received</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="110"/>
        <source>Từ chối tiếp nhận (F8)</source>
        <translation>Refuse to receive (F8)</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="112"/>
        <source>Phiếu từ chối tiếp nhận giải quyết hồ sơ (mẫu 03)</source>
        <translation>Refusal slip (form 03)</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="162"/>
        <source> (liên thông)</source>
        <translation> (inter-agency)</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="171"/>
        <source>Thời hạn: {time} · Phí, lệ phí: {fee}</source>
        <translation>Processing time: {time} · Fees: {fee}</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="173"/>
        <source>không thu</source>
        <translation>none</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="185"/>
        <source>Đã đọc từ mã QR trên thẻ CCCD.</source>
        <translation>Read from the QR code on the citizen ID card.</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="192"/>
        <source>Người nộp lần đầu.</source>
        <translation>First-time applicant.</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="195"/>
        <source>Đã điền theo hồ sơ trước của người này.</source>
        <translation>Filled in from this person&apos;s previous dossier.</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="200"/>
        <source>Ngày hẹn trả: chọn thủ tục để tính</source>
        <translation>Due date: select a procedure to calculate</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="208"/>
        <source>Hẹn trả kết quả: {time}, ngày {date}</source>
        <translation>Result due: {time}, {date}</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="209"/>
        <source>{hour} giờ {minute}</source>
        <translation>{hour}:{minute}</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="289"/>
        <source>Hướng dẫn bổ sung, hoàn thiện hồ sơ (mẫu 02)</source>
        <translation>Request to supplement the dossier (form 02)</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="293"/>
        <source>Từ chối tiếp nhận hồ sơ (mẫu 03)</source>
        <translation>Refuse to receive the dossier (form 03)</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="342"/>
        <source>Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ</source>
        <translation>Request to supplement the dossier</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="344"/>
        <source>Phiếu từ chối tiếp nhận giải quyết hồ sơ</source>
        <translation>Refusal slip</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="355"/>
        <source>Đã ghi nhận nhưng chưa in được phiếu ({error}).</source>
        <translation>Recorded, but the slip could not be printed ({error}).</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="379"/>
        <source>Không lưu được hồ sơ ({error}). Dữ liệu đã nhập vẫn còn; hãy thử lại.</source>
        <translation>Could not save the dossier ({error}). Your entries are kept; please try again.</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="394"/>
        <source>Hồ sơ chưa lưu: hãy sửa các ô báo đỏ.</source>
        <translation>Dossier not saved: please correct the fields marked in red.</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="403"/>
        <source>Nhập hồ sơ mới</source>
        <translation>New dossier</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="404"/>
        <source>Biểu mẫu đang có nội dung chưa lưu. Xóa hết để nhập hồ sơ mới?</source>
        <translation>The form holds unsaved input. Clear it all to start a new dossier?</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="409"/>
        <source>Xóa và nhập mới</source>
        <translation>Clear and start new</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="411"/>
        <source>Tiếp tục nhập</source>
        <translation>Keep typing</translation>
    </message>
    <message>
        <location filename="../../ui/reception_screen.py" line="438"/>
        <source>Hồ sơ nháp do nhân viên bưu điện chuẩn bị.</source>
        <translation>Draft dossier prepared by postal staff.</translation>
    </message>
</context>
<context>
    <name>ReportsDriver</name>
    <message>
        <location filename="../../ui/reports_screen.py" line="149"/>
        <source>Không tính được số liệu: {error}</source>
        <translation>Could not compute the figures: {error}</translation>
    </message>
    <message>
        <location filename="../../ui/reports_screen.py" line="160"/>
        <source>Báo cáo số liệu — {period}</source>
        <translation>Statistics report — {period}</translation>
    </message>
    <message>
        <location filename="../../ui/reports_screen.py" line="165"/>
        <source>Không in được báo cáo: {error}</source>
        <translation>Could not print the report: {error}</translation>
    </message>
    <message>
        <location filename="../../ui/reports_screen.py" line="178"/>
        <source>Sổ theo dõi hồ sơ</source>
        <translation>Dossier book</translation>
    </message>
    <message>
        <location filename="../../ui/reports_screen.py" line="187"/>
        <source>Không in được sổ: {error}</source>
        <translation>Could not print the book: {error}</translation>
    </message>
    <message>
        <location filename="../../ui/reports_screen.py" line="198"/>
        <source>Đang lập sổ theo dõi hồ sơ…</source>
        <translation>Making the dossier book…</translation>
    </message>
    <message>
        <location filename="../../ui/reports_screen.py" line="226"/>
        <source>Xuất số liệu</source>
        <translation>Export figures</translation>
    </message>
    <message>
        <location filename="../../ui/reports_screen.py" line="230"/>
        <source>Bảng tính Excel (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../ui/reports_screen.py" line="230"/>
        <source>Tệp CSV (*.csv)</source>
        <translation>CSV file (*.csv)</translation>
    </message>
    <message>
        <location filename="../../ui/reports_screen.py" line="256"/>
        <source>Không ghi được tệp {path}: {error}</source>
        <translation>Could not write {path}: {error}</translation>
    </message>
</context>
<context>
    <name>ReportsView</name>
    <message>
        <location filename="../../ui/reports_view.py" line="63"/>
        <source>Tổng nhận</source>
        <translation>Received</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="64"/>
        <source>Trực tiếp</source>
        <translation>At the counter</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="65"/>
        <source>Bưu chính</source>
        <translation>By post</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="66"/>
        <source>Trực tuyến</source>
        <translation>Online</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="67"/>
        <source>Kỳ trước</source>
        <translation>Carried over</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="68"/>
        <location filename="../../ui/reports_view.py" line="143"/>
        <source>Đã giải quyết</source>
        <translation>Resolved</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="69"/>
        <source>Trước hạn</source>
        <translation>Early</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="70"/>
        <source>Đúng hạn</source>
        <translation>On time</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="71"/>
        <source>Quá hạn</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="72"/>
        <location filename="../../ui/reports_view.py" line="144"/>
        <source>Đang giải quyết</source>
        <translation>In progress</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="73"/>
        <source>Chưa đến hạn</source>
        <translation>Not yet due</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="74"/>
        <source>Đang quá hạn</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="75"/>
        <source>Chờ bổ sung</source>
        <translation>Awaiting supplement</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="76"/>
        <source>Rút, dừng</source>
        <translation>Withdrawn, stopped</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="77"/>
        <source>Từ chối</source>
        <translation>Refused</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="78"/>
        <source>Đã trả</source>
        <translation>Returned</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="79"/>
        <source>Yêu cầu bổ sung</source>
        <translation>Supplement requested</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="80"/>
        <source>Quá hạn đến nay</source>
        <translation>Overdue now</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="81"/>
        <source>Hướng dẫn</source>
        <translation>Guided</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="82"/>
        <source>Từ chối tiếp nhận</source>
        <translation>Turned away</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="83"/>
        <source>Phí đã thu (đ)</source>
        <translation>Fees collected (VND)</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="86"/>
        <source>Kênh tiếp nhận</source>
        <translation>Channel</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="87"/>
        <source>Thủ tục hành chính</source>
        <translation>Procedure</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="88"/>
        <source>Cán bộ</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="91"/>
        <location filename="../../ui/reports_view.py" line="191"/>
        <source>Số liệu thống kê</source>
        <translation>Statistics</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="93"/>
        <source>Một ngày</source>
        <translation>One day</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="95"/>
        <source>Khoảng ngày</source>
        <translation>Date range</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="103"/>
        <source>Xem số liệu</source>
        <translation>Show figures</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="105"/>
        <source>In báo cáo…</source>
        <translation>Print report…</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="107"/>
        <source>Xuất Excel/CSV…</source>
        <translation>Export Excel/CSV…</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="109"/>
        <source>In sổ theo dõi hồ sơ…</source>
        <translation>Print dossier book…</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="115"/>
        <source>Lịch làm việc…</source>
        <translation>Working calendar…</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="129"/>
        <source>Từ ngày</source>
        <translation>From</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="131"/>
        <source>đến ngày</source>
        <translation>to</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="142"/>
        <source>Hồ sơ nhận giải quyết</source>
        <translation>Dossiers to resolve</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="145"/>
        <source>Đã trả kết quả</source>
        <translation>Results returned</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="146"/>
        <source>Phí, lệ phí đã thu</source>
        <translation>Fees collected</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="176"/>
        <source>Xem theo</source>
        <translation>View by</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="212"/>
        <source>Sổ: tất cả lĩnh vực</source>
        <translation>Book: all fields</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="214"/>
        <source>Sổ: {field}</source>
        <translation>Book: {field}</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="219"/>
        <source>Chỉ số số hóa</source>
        <translation>Digitization index</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="280"/>
        <source>Đang tính số liệu…</source>
        <translation>Computing…</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="295"/>
        <source>mới {new}, kỳ trước {carried}</source>
        <translation>new {new}, carried over {carried}</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="303"/>
        <source>đúng hạn {rate}</source>
        <translation>on time {rate}</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="310"/>
        <source>quá hạn {overdue}, chờ bổ sung {waiting}</source>
        <translation>overdue {overdue}, awaiting supplement {waiting}</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="318"/>
        <source>yêu cầu bổ sung {n}</source>
        <translation>supplements requested {n}</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="323"/>
        <source>tiền mặt {cash}, chuyển khoản {transfer}</source>
        <translation>cash {cash}, transfer {transfer}</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="330"/>
        <source>{period} · số liệu tính đến {at}</source>
        <translation>{period} · figures as of {at}</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="352"/>
        <source>Tổng cộng</source>
        <translation>Total</translation>
    </message>
</context>
<context>
    <name>ReturnsDriver</name>
    <message>
        <location filename="../../ui/returns_screen.py" line="151"/>
        <source>Hồ sơ {code} không có trong danh sách chờ trả kết quả.</source>
        <translation>Dossier {code} has no result waiting to be returned.</translation>
    </message>
    <message>
        <location filename="../../ui/returns_screen.py" line="187"/>
        <source>Phiếu bàn giao kết quả — {code}</source>
        <translation>Hand-over slip — {code}</translation>
    </message>
    <message>
        <location filename="../../ui/returns_screen.py" line="188"/>
        <source>Biên lai thu phí, lệ phí — {code}</source>
        <translation>Fee receipt — {code}</translation>
    </message>
    <message>
        <location filename="../../ui/returns_screen.py" line="240"/>
        <source>Hãy chọn trong danh sách hồ sơ có kết quả cần số hóa.</source>
        <translation>Choose in the list the dossier whose result is to be digitized.</translation>
    </message>
    <message>
        <location filename="../../ui/returns_screen.py" line="243"/>
        <source>Bản quét kết quả của hồ sơ {code}</source>
        <translation>Scanned result of dossier {code}</translation>
    </message>
    <message>
        <location filename="../../ui/returns_screen.py" line="247"/>
        <source>Ảnh và PDF ({patterns})</source>
        <translation>Images and PDFs ({patterns})</translation>
    </message>
    <message>
        <location filename="../../ui/returns_screen.py" line="282"/>
        <source>Đang ghép {count} tệp thành bản số hóa kết quả…</source>
        <translation>Assembling {count} files into the result scan…</translation>
    </message>
    <message>
        <location filename="../../ui/returns_screen.py" line="293"/>
        <source>Đã số hóa kết quả của hồ sơ {code}: {pages} trang ({size}).</source>
        <translation>Digitized the result of dossier {code}: {pages} pages ({size}).</translation>
    </message>
    <message>
        <location filename="../../ui/returns_screen.py" line="305"/>
        <source>Chưa số hóa được kết quả của hồ sơ {code}: {error}</source>
        <translation>The result of dossier {code} was not digitized: {error}</translation>
    </message>
    <message>
        <location filename="../../ui/returns_screen.py" line="310"/>
        <source>Chưa số hóa được kết quả của hồ sơ {code} ({error}); chưa lưu gì, hãy thử lại.</source>
        <translation>The result of dossier {code} was not digitized ({error}); nothing was stored, please try again.</translation>
    </message>
    <message>
        <location filename="../../ui/returns_screen.py" line="320"/>
        <source>Chữ ký số không hợp lệ</source>
        <translation>Invalid digital signature</translation>
    </message>
    <message>
        <location filename="../../ui/returns_screen.py" line="322"/>
        <source>Chưa lưu gì. Vẫn lưu: bản số hóa kết quả được lưu và chữ ký hỏng được ghi lại, hiển thị trong hồ sơ. Không lưu: chọn lại tệp khác.</source>
        <translation>Nothing stored yet. Store anyway: the result scan is stored and the broken signature is recorded and shown in the dossier. Do not store: choose other files.</translation>
    </message>
    <message>
        <location filename="../../ui/returns_screen.py" line="325"/>
        <source>Vẫn lưu</source>
        <translation>Store anyway</translation>
    </message>
    <message>
        <location filename="../../ui/returns_screen.py" line="326"/>
        <source>Không lưu</source>
        <translation>Do not store</translation>
    </message>
    <message>
        <location filename="../../ui/returns_screen.py" line="334"/>
        <source>Đã ghi nhận trả kết quả nhưng chưa in được phiếu: {error}</source>
        <translation>The return is recorded, but the slip could not be printed: {error}</translation>
    </message>
    <message>
        <location filename="../../ui/returns_screen.py" line="342"/>
        <source>Chưa trả được kết quả: hãy sửa các ô báo đỏ.</source>
        <translation>Not returned yet: correct the fields marked in red.</translation>
    </message>
    <message>
        <location filename="../../ui/returns_screen.py" line="347"/>
        <source>Không ghi nhận được ({error}); hãy thử lại.</source>
        <translation>Could not record it ({error}); please try again.</translation>
    </message>
</context>
<context>
    <name>ReturnsView</name>
    <message>
        <location filename="../../ui/returns_view.py" line="71"/>
        <source>Trả kết quả</source>
        <translation>Returns</translation>
    </message>
    <message>
        <location filename="../../ui/returns_view.py" line="76"/>
        <source>Mã hồ sơ, số CCCD hoặc tên người nộp (F3)</source>
        <translation>Dossier code, citizen ID or applicant name (F3)</translation>
    </message>
    <message>
        <location filename="../../ui/returns_view.py" line="78"/>
        <source>Làm mới</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../ui/returns_view.py" line="89"/>
        <source>Mã hồ sơ</source>
        <translation>Dossier code</translation>
    </message>
    <message>
        <location filename="../../ui/returns_view.py" line="90"/>
        <source>Người nộp</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <location filename="../../ui/returns_view.py" line="91"/>
        <source>Hẹn trả</source>
        <translation>Due</translation>
    </message>
    <message>
        <location filename="../../ui/returns_view.py" line="92"/>
        <source>Kết quả</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../../ui/returns_view.py" line="93"/>
        <source>Phí</source>
        <translation>Fee</translation>
    </message>
    <message>
        <location filename="../../ui/returns_view.py" line="94"/>
        <source>Số hóa KQ</source>
        <translation>Result scan</translation>
    </message>
    <message>
        <location filename="../../ui/returns_view.py" line="139"/>
        <location filename="../../ui/returns_view.py" line="308"/>
        <source>Chọn một hồ sơ trong danh sách, hoặc quét mã hồ sơ.</source>
        <translation>Choose a dossier in the list, or scan its code.</translation>
    </message>
    <message>
        <location filename="../../ui/returns_view.py" line="144"/>
        <source>Tại quầy</source>
        <translation>At the counter</translation>
    </message>
    <message>
        <location filename="../../ui/returns_view.py" line="146"/>
        <source>Qua bưu chính</source>
        <translation>By post</translation>
    </message>
    <message>
        <location filename="../../ui/returns_view.py" line="164"/>
        <source>12 chữ số</source>
        <translation>12 digits</translation>
    </message>
    <message>
        <location filename="../../ui/returns_view.py" line="165"/>
        <source>Người được ủy quyền nhận thay</source>
        <translation>Authorised representative</translation>
    </message>
    <message>
        <location filename="../../ui/returns_view.py" line="169"/>
        <source>vd. EB123456789VN</source>
        <translation>e.g. EB123456789VN</translation>
    </message>
    <message>
        <location filename="../../ui/returns_view.py" line="172"/>
        <source>vd. số giấy ủy quyền</source>
        <translation>e.g. authorisation number</translation>
    </message>
    <message>
        <location filename="../../ui/returns_view.py" line="175"/>
        <source>Hình thức trả</source>
        <translation>Return by</translation>
    </message>
    <message>
        <location filename="../../ui/returns_view.py" line="177"/>
        <source>Người nhận</source>
        <translation>Recipient</translation>
    </message>
    <message>
        <location filename="../../ui/returns_view.py" line="179"/>
        <source>Số CCCD</source>
        <translation>Citizen ID no.</translation>
    </message>
    <message>
        <location filename="../../ui/returns_view.py" line="182"/>
        <source>Mã bưu gửi</source>
        <translation>Tracking number</translation>
    </message>
    <message>
        <location filename="../../ui/returns_view.py" line="184"/>
        <source>Ghi chú</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../ui/returns_view.py" line="186"/>
        <source>Thu phí, lệ phí khi trả kết quả</source>
        <translation>Collect the fee now</translation>
    </message>
    <message>
        <location filename="../../ui/returns_view.py" line="202"/>
        <source>Trả kết quả và in (Ctrl+Enter)</source>
        <translation>Return and print (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../ui/returns_view.py" line="209"/>
        <source>Số hóa kết quả… (Ctrl+D)</source>
        <translation>Digitize result… (Ctrl+D)</translation>
    </message>
    <message>
        <location filename="../../ui/returns_view.py" line="212"/>
        <source>Chọn ảnh hoặc PDF bản quét kết quả giải quyết để lưu vào hồ sơ</source>
        <translation>Choose the images or PDFs of the scanned result to keep with the dossier</translation>
    </message>
    <message>
        <location filename="../../ui/returns_view.py" line="216"/>
        <source>Hủy biên lai vừa in…</source>
        <translation>Cancel the receipt just printed…</translation>
    </message>
    <message>
        <location filename="../../ui/returns_view.py" line="220"/>
        <source>Hồ sơ trả kết quả</source>
        <translation>Dossier to return</translation>
    </message>
    <message>
        <location filename="../../ui/returns_view.py" line="252"/>
        <source>{n} hồ sơ có kết quả chờ trả</source>
        <translation>{n} results waiting to be returned</translation>
    </message>
    <message>
        <location filename="../../ui/returns_view.py" line="254"/>
        <source>Không có hồ sơ nào có kết quả chờ trả khớp với tìm kiếm.</source>
        <translation>No result waiting matches the search.</translation>
    </message>
    <message>
        <location filename="../../ui/returns_view.py" line="271"/>
        <source>đã thu</source>
        <translation>paid</translation>
    </message>
    <message>
        <location filename="../../ui/returns_view.py" line="273"/>
        <source>{amount} đ</source>
        <translation>{amount} VND</translation>
    </message>
    <message>
        <location filename="../../ui/returns_view.py" line="283"/>
        <source>✓ {at}</source>
        <translation>✓ {at}</translation>
    </message>
    <message>
        <location filename="../../ui/returns_view.py" line="288"/>
        <source>Kết quả số hóa lúc {at}</source>
        <translation>Result digitized at {at}</translation>
    </message>
    <message>
        <location filename="../../ui/returns_view.py" line="315"/>
        <source>có kết quả lúc {at} ({label})</source>
        <translation>result ready at {at} ({label})</translation>
    </message>
    <message>
        <location filename="../../ui/returns_view.py" line="324"/>
        <source>Hẹn trả {due}; {result}</source>
        <translation>Due {due}; {result}</translation>
    </message>
    <message>
        <location filename="../../ui/returns_view.py" line="335"/>
        <source>Phí, lệ phí đã thu khi tiếp nhận.</source>
        <translation>The fee was collected at reception.</translation>
    </message>
    <message>
        <location filename="../../ui/returns_view.py" line="339"/>
        <source>Phí, lệ phí theo danh mục: {amount}</source>
        <translation>Fee in the catalog: {amount}</translation>
    </message>
    <message>
        <location filename="../../ui/returns_view.py" line="343"/>
        <source>Thủ tục không có mức phí trong danh mục.</source>
        <translation>The catalog gives no fee for this procedure.</translation>
    </message>
    <message>
        <location filename="../../ui/returns_view.py" line="347"/>
        <source>Phí tính theo số trang: {tariff}</source>
        <translation>Charged per page: {tariff}</translation>
    </message>
    <message>
        <location filename="../../ui/returns_view.py" line="358"/>
        <source>Kết quả đã được số hóa lúc {at}.</source>
        <translation>Result digitized at {at}.</translation>
    </message>
    <message>
        <location filename="../../ui/returns_view.py" line="360"/>
        <source>Kết quả chưa được số hóa.</source>
        <translation>Result not digitized yet.</translation>
    </message>
</context>
<context>
    <name>ScanInbox</name>
    <message>
        <location filename="../../ui/scan_inbox.py" line="50"/>
        <source>Từ máy scan</source>
        <translation>From the scanner</translation>
    </message>
    <message>
        <location filename="../../ui/scan_inbox.py" line="54"/>
        <source>Thư mục…</source>
        <translation>Folder…</translation>
    </message>
    <message>
        <location filename="../../ui/scan_inbox.py" line="55"/>
        <source>Chọn thư mục máy scan lưu tệp vào</source>
        <translation>Choose the folder the scanner saves into</translation>
    </message>
    <message>
        <location filename="../../ui/scan_inbox.py" line="67"/>
        <source>◀ Thêm</source>
        <translation>◀ Add</translation>
    </message>
    <message>
        <location filename="../../ui/scan_inbox.py" line="68"/>
        <source>Đưa các tệp đang chọn sang các trang (nhấp đúp)</source>
        <translation>Put the selected files on the page strip (double-click)</translation>
    </message>
    <message>
        <location filename="../../ui/scan_inbox.py" line="71"/>
        <source>◀◀ Thêm tất cả</source>
        <translation>◀◀ Add all</translation>
    </message>
    <message>
        <location filename="../../ui/scan_inbox.py" line="106"/>
        <source>Chưa chọn thư mục máy scan lưu tệp vào.</source>
        <translation>No scanner output folder chosen yet.</translation>
    </message>
    <message>
        <location filename="../../ui/scan_inbox.py" line="108"/>
        <source>Không mở được thư mục {folder}; hãy chọn lại.</source>
        <translation>Cannot open the folder {folder}; choose it again.</translation>
    </message>
    <message>
        <location filename="../../ui/scan_inbox.py" line="132"/>
        <source>Đang nhận {name}…</source>
        <translation>Receiving {name}…</translation>
    </message>
    <message>
        <location filename="../../ui/scan_inbox.py" line="135"/>
        <source>Đang chờ tệp mới từ máy scan.</source>
        <translation>Waiting for new files from the scanner.</translation>
    </message>
    <message>
        <location filename="../../ui/scan_inbox.py" line="143"/>
        <source>Thư mục máy scan lưu tệp vào</source>
        <translation>Folder the scanner saves into</translation>
    </message>
    <message>
        <location filename="../../ui/scan_inbox.py" line="154"/>
        <source>{name}
{pages} trang · {size}</source>
        <translation>{name}
{pages} pages · {size}</translation>
    </message>
    <message>
        <location filename="../../ui/scan_inbox.py" line="167"/>
        <source>{name}
Không dùng được — xem lý do</source>
        <translation>{name}
Cannot be used — see why</translation>
    </message>
</context>
<context>
    <name>SetupDialog</name>
    <message>
        <location filename="../../ui/setup_dialog.py" line="83"/>
        <source>Thiết lập máy quầy — Một cửa</source>
        <translation>Set up the counter — One-stop</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="86"/>
        <source>Máy này chưa được thiết lập</source>
        <translation>This counter is not set up yet</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="89"/>
        <source>Thư mục dữ liệu: {path}</source>
        <translation>Data directory: {path}</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="104"/>
        <source>Mã định danh đơn vị</source>
        <translation>Unit identifier</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="108"/>
        <source>Tên đơn vị</source>
        <translation>Unit name</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="111"/>
        <source>Số máy quầy</source>
        <translation>Counter number</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="120"/>
        <source>Mã đăng ký một lần do quản trị tỉnh cấp cho máy này; tên, mã đơn vị và số máy lấy từ máy chủ tỉnh.</source>
        <translation>The one-time enrolment code the provincial administrator issued for this counter; the unit name, unit code and counter number come from the provincial server.</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="133"/>
        <source>Địa chỉ máy chủ tỉnh</source>
        <translation>Provincial server address</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="137"/>
        <source>Mã đăng ký một lần</source>
        <translation>One-time enrolment code</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="142"/>
        <source>Thiết lập máy mới</source>
        <translation>Set up a new counter</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="143"/>
        <source>Đăng ký với máy chủ tỉnh</source>
        <translation>Enrol with the provincial server</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="157"/>
        <source>Thiết lập</source>
        <translation>Set up</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="159"/>
        <source>Thoát</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="197"/>
        <source>Đã điền sẵn từ tệp cấu hình {path}.</source>
        <translation>Filled in from the configuration file {path}.</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="205"/>
        <source>Tệp cấu hình không dùng được, hãy sửa tệp hoặc nhập tay:</source>
        <translation>The configuration file cannot be used; fix the file or type the details in:</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="213"/>
        <source>Tên đăng nhập quản trị</source>
        <translation>Administrator user name</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="216"/>
        <source>Họ và tên quản trị</source>
        <translation>Administrator full name</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="218"/>
        <source>Mật khẩu</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="220"/>
        <source>Nhập lại mật khẩu</source>
        <translation>Repeat password</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="282"/>
        <source>Không thiết lập được máy: {error}</source>
        <translation>Could not set up the counter: {error}</translation>
    </message>
</context>
<context>
    <name>SignAction</name>
    <message>
        <location filename="../../ui/sign_action.py" line="72"/>
        <source>Kết quả giải quyết</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../../ui/sign_action.py" line="73"/>
        <location filename="../../ui/sign_action.py" line="96"/>
        <source>Ký số</source>
        <translation>Sign</translation>
    </message>
    <message>
        <location filename="../../ui/sign_action.py" line="76"/>
        <source>Ký số bản số hóa của giấy tờ đã chọn bằng thiết bị ký số của trung tâm</source>
        <translation>Sign the chosen document&apos;s digitized copy with the centre&apos;s signing token</translation>
    </message>
    <message>
        <location filename="../../ui/sign_action.py" line="84"/>
        <source>Bản số hóa:</source>
        <translation>Digitized copy:</translation>
    </message>
    <message>
        <location filename="../../ui/sign_action.py" line="97"/>
        <source>Mã PIN của thiết bị ký số:</source>
        <translation>Signing token PIN:</translation>
    </message>
    <message>
        <location filename="../../ui/sign_action.py" line="118"/>
        <source>Đang ký số…</source>
        <translation>Signing…</translation>
    </message>
    <message>
        <location filename="../../ui/sign_action.py" line="125"/>
        <source>Đã ký số bản số hóa kết quả của hồ sơ {code}. {status}</source>
        <translation>Signed the result scan of dossier {code}. {status}</translation>
    </message>
    <message>
        <location filename="../../ui/sign_action.py" line="129"/>
        <source>Đã ký số giấy tờ {number} ({name}) của hồ sơ {code}. {status}</source>
        <translation>Signed document {number} ({name}) of dossier {code}. {status}</translation>
    </message>
    <message>
        <location filename="../../ui/sign_action.py" line="144"/>
        <source>Không ký số được ({error}); hãy thử lại.</source>
        <translation>Could not sign ({error}); please try again.</translation>
    </message>
</context>
<context>
    <name>SyncProblemsDialog</name>
    <message>
        <location filename="../../ui/sync_problems.py" line="75"/>
        <source>Lỗi đồng bộ</source>
        <translation>Sync problems</translation>
    </message>
    <message>
        <location filename="../../ui/sync_problems.py" line="78"/>
        <source>Thay đổi bị máy chủ tỉnh từ chối</source>
        <translation>Changes refused by the provincial server</translation>
    </message>
    <message>
        <location filename="../../ui/sync_problems.py" line="82"/>
        <source>Máy chủ tỉnh đã từ chối các thay đổi dưới đây: chúng chưa được ghi nhận trên hệ thống của tỉnh, và các thay đổi sau đó của cùng hồ sơ phải chờ.</source>
        <translation>The provincial server refused the changes below: they are not recorded in the province&apos;s system, and later changes to the same dossier have to wait.</translation>
    </message>
    <message>
        <location filename="../../ui/sync_problems.py" line="87"/>
        <source>Cách xử lý: đọc lý do, bấm «Mở hồ sơ» và khắc phục nguyên nhân, rồi bấm «Gửi lại tất cả». Phí đã được thu ở máy khác: hoàn lại tiền cho công dân, hủy biên lai rồi bấm «Đã hoàn tiền». Không tự khắc phục được thì báo quản trị tỉnh.</source>
        <translation>What to do: read the reason, click «Open dossier» and fix the cause, then click «Send all again». A fee already taken at another counter: refund the citizen, cancel the receipt, then click «Refunded». If you cannot fix it yourself, tell the provincial administrator.</translation>
    </message>
    <message>
        <location filename="../../ui/sync_problems.py" line="93"/>
        <source>Thay đổi nhận từ tỉnh mà máy này không ghi được thì được để riêng: máy vẫn nhận tiếp các thay đổi khác, tự báo về tỉnh và thử ghi lại ở mỗi lần đồng bộ.</source>
        <translation>A change received from the province that this PC could not store is set aside: the PC goes on receiving the other changes, reports it to the province and tries to store it again at every sync.</translation>
    </message>
    <message>
        <location filename="../../ui/sync_problems.py" line="103"/>
        <source>Mã hồ sơ</source>
        <translation>Dossier code</translation>
    </message>
    <message>
        <location filename="../../ui/sync_problems.py" line="103"/>
        <source>Việc</source>
        <translation>Change</translation>
    </message>
    <message>
        <location filename="../../ui/sync_problems.py" line="103"/>
        <source>Lý do</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../ui/sync_problems.py" line="103"/>
        <source>Lúc ghi</source>
        <translation>Recorded at</translation>
    </message>
    <message>
        <location filename="../../ui/sync_problems.py" line="122"/>
        <source>Không có lỗi đồng bộ: máy chủ tỉnh đã nhận mọi thay đổi gửi lên (hoặc chúng đang chờ gửi).</source>
        <translation>No sync problems: the provincial server accepted every change sent (or they are waiting to be sent).</translation>
    </message>
    <message>
        <location filename="../../ui/sync_problems.py" line="139"/>
        <source>Mở hồ sơ</source>
        <translation>Open dossier</translation>
    </message>
    <message>
        <location filename="../../ui/sync_problems.py" line="143"/>
        <source>Gửi lại tất cả</source>
        <translation>Send all again</translation>
    </message>
    <message>
        <location filename="../../ui/sync_problems.py" line="146"/>
        <source>Đưa mọi thay đổi bị từ chối vào hàng chờ và đồng bộ ngay.</source>
        <translation>Queue every refused change again and sync now.</translation>
    </message>
    <message>
        <location filename="../../ui/sync_problems.py" line="149"/>
        <source>Đã hoàn tiền…</source>
        <translation>Refunded…</translation>
    </message>
    <message>
        <location filename="../../ui/sync_problems.py" line="154"/>
        <source>Khoản thu bị từ chối vì đã được thu ở máy khác: ghi nhận đã hoàn lại tiền cho công dân và hủy biên lai.</source>
        <translation>A payment refused because it was already taken at another counter: record that the money was given back to the citizen and the receipt cancelled.</translation>
    </message>
    <message>
        <location filename="../../ui/sync_problems.py" line="160"/>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../ui/sync_problems.py" line="250"/>
        <source>Đã đưa {n} thay đổi vào hàng chờ gửi lại máy chủ tỉnh.</source>
        <translation>Queued {n} changes to be sent to the provincial server again.</translation>
    </message>
    <message>
        <location filename="../../ui/sync_problems.py" line="263"/>
        <source>Ghi hoàn trả phí, lệ phí</source>
        <translation>Record a fee refund</translation>
    </message>
    <message>
        <location filename="../../ui/sync_problems.py" line="265"/>
        <source>Đã hoàn lại cho công dân khoản phí, lệ phí thu ở máy này cho hồ sơ {code} và đã hủy biên lai?

Khoản thu sẽ được bỏ khỏi sổ thu của máy này và không gửi lên tỉnh nữa; nhật ký vẫn ghi đủ khoản thu và việc hoàn trả.</source>
        <translation>Has the fee taken at this counter for dossier {code} been given back to the citizen and the receipt cancelled?

The payment will be taken off this counter&apos;s books and no longer sent to the province; the log keeps the payment and its refund in full.</translation>
    </message>
    <message>
        <location filename="../../ui/sync_problems.py" line="273"/>
        <source>Đã hoàn tiền</source>
        <translation>Refunded</translation>
    </message>
    <message>
        <location filename="../../ui/sync_problems.py" line="275"/>
        <source>Chưa</source>
        <translation>Not yet</translation>
    </message>
    <message>
        <location filename="../../ui/sync_problems.py" line="297"/>
        <source>Đã ghi hoàn trả {amount} ({method}) của hồ sơ {code}.</source>
        <translation>Recorded the refund of {amount} ({method}) for dossier {code}.</translation>
    </message>
    <message>
        <location filename="../../ui/sync_problems.py" line="308"/>
        <source>Không gửi lại được: {error}</source>
        <translation>Could not queue the changes again: {error}</translation>
    </message>
</context>
<context>
    <name>TallyChart</name>
    <message>
        <location filename="../../ui/tally_chart.py" line="41"/>
        <source>Tiếp nhận</source>
        <translation>Received</translation>
    </message>
    <message>
        <location filename="../../ui/tally_chart.py" line="41"/>
        <source>Có kết quả</source>
        <translation>Result ready</translation>
    </message>
    <message>
        <location filename="../../ui/tally_chart.py" line="41"/>
        <source>Đã trả kết quả</source>
        <translation>Results returned</translation>
    </message>
    <message>
        <location filename="../../ui/tally_chart.py" line="65"/>
        <source>Chưa có số liệu</source>
        <translation>No figures yet</translation>
    </message>
</context>
<context>
    <name>WorkCalendarDialog</name>
    <message>
        <location filename="../../ui/calendar_screen.py" line="181"/>
        <source>Lịch làm việc</source>
        <translation>Working calendar</translation>
    </message>
</context>
<context>
    <name>WorkCalendarScreen</name>
    <message>
        <location filename="../../ui/calendar_screen.py" line="51"/>
        <source>Thứ Hai</source>
        <translation>Monday</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_screen.py" line="52"/>
        <source>Thứ Ba</source>
        <translation>Tuesday</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_screen.py" line="53"/>
        <source>Thứ Tư</source>
        <translation>Wednesday</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_screen.py" line="54"/>
        <source>Thứ Năm</source>
        <translation>Thursday</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_screen.py" line="55"/>
        <source>Thứ Sáu</source>
        <translation>Friday</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_screen.py" line="56"/>
        <source>Thứ Bảy</source>
        <translation>Saturday</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_screen.py" line="57"/>
        <source>Chủ Nhật</source>
        <translation>Sunday</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_screen.py" line="60"/>
        <source>Tỉnh công bố</source>
        <translation>Declared by the province</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_screen.py" line="61"/>
        <source>Chính phủ (kèm phần mềm)</source>
        <translation>Government (shipped with the software)</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_screen.py" line="62"/>
        <source>Bộ luật Lao động</source>
        <translation>Labour Code</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_screen.py" line="65"/>
        <source>Lịch làm việc</source>
        <translation>Working calendar</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_screen.py" line="71"/>
        <source>In lịch…</source>
        <translation>Print calendar…</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_screen.py" line="76"/>
        <source>Năm</source>
        <translation>Year</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_screen.py" line="88"/>
        <source>Ngày</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_screen.py" line="89"/>
        <source>Thứ</source>
        <translation>Weekday</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_screen.py" line="90"/>
        <source>Nghỉ / làm việc</source>
        <translation>Off / worked</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_screen.py" line="91"/>
        <source>Tên ngày</source>
        <translation>Name of the day</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_screen.py" line="92"/>
        <source>Căn cứ</source>
        <translation>Basis</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_screen.py" line="93"/>
        <source>Nguồn</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_screen.py" line="122"/>
        <source>{origin} — chưa xác nhận</source>
        <translation>{origin} — not confirmed</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_screen.py" line="126"/>
        <source>Làm việc</source>
        <translation>Worked</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_screen.py" line="126"/>
        <source>Nghỉ</source>
        <translation>Off</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_screen.py" line="127"/>
        <source>Nghỉ cuối tuần</source>
        <translation>Weekend</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_screen.py" line="135"/>
        <source>Ngày chưa được xác nhận: chờ tỉnh công bố.</source>
        <translation>Day not confirmed yet: awaiting the province&apos;s announcement.</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_screen.py" line="141"/>
        <source>{days} ngày nghỉ, ngày làm bù; {unconfirmed} ngày chưa được xác nhận (tô màu).</source>
        <translation>{days} days off and make-up days; {unconfirmed} not confirmed yet (highlighted).</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_screen.py" line="153"/>
        <source>Lịch làm việc năm {year}</source>
        <translation>Working calendar {year}</translation>
    </message>
    <message>
        <location filename="../../ui/calendar_screen.py" line="167"/>
        <source>Không in được lịch: {error}</source>
        <translation>Could not print the calendar: {error}</translation>
    </message>
</context>
</TS>

#!/usr/bin/env bash
# Khôi phục máy chủ tỉnh từ một bản do backup.sh tạo, vào một cơ sở dữ liệu TRỐNG.
# Restores the provincial server from a backup made by backup.sh, into an EMPTY database.
#
#   restore.sh /var/backups/province-server/province-backup-20261203-020000.000
#
# Biến môi trường / environment (đọc /etc/province-server/province-server.env nếu có):
#   PROVINCE_DATABASE_URL  cơ sở dữ liệu đích, vừa tạo, chưa có bảng nào
#   PROVINCE_BLOB_DIR      thư mục tệp đính kèm đích
#   PROVINCE_SERVER        lệnh province-server (mặc định: province-server)
#
# Dừng dịch vụ trước (systemctl stop province-server). Sau khi khôi phục, script nâng
# lược đồ lên phiên bản của phần mềm đang cài (province-server migrate) và bắt đầu
# kỷ nguyên mới (province-server epoch new): mọi máy quầy sẽ đồng bộ lại toàn bộ ở lần
# kết nối tới, nên không máy nào bỏ sót hay nhận trùng thay đổi nào đã mất theo bản
# sao lưu; những gì máy quầy đã gửi sau lúc sao lưu sẽ được gửi lại.
set -euo pipefail

backup=${1:?"Cách dùng: restore.sh THƯ_MỤC_BẢN_SAO_LƯU"}
ENV_FILE=${PROVINCE_ENV_FILE:-/etc/province-server/province-server.env}
if [ -z "${PROVINCE_DATABASE_URL:-}" ] && [ -r "$ENV_FILE" ]; then
    set -a
    # shellcheck disable=SC1090
    . "$ENV_FILE"
    set +a
fi
url=${PROVINCE_DATABASE_URL:?"Thiếu PROVINCE_DATABASE_URL (cơ sở dữ liệu đích)"}
blob_dir=${PROVINCE_BLOB_DIR:?"Thiếu PROVINCE_BLOB_DIR (thư mục tệp đính kèm đích)"}
server=${PROVINCE_SERVER:-province-server}
pg_url=${url/postgresql+psycopg:/postgresql:}

for part in database.dump blobs.tar SHA256SUMS; do
    if [ ! -f "$backup/$part" ]; then
        echo "Lỗi: $backup không phải bản sao lưu của backup.sh (thiếu $part)" >&2
        exit 2
    fi
done
if ! (cd "$backup" && sha256sum --quiet -c SHA256SUMS); then
    echo "Lỗi: bản sao lưu $backup bị hỏng (tổng kiểm SHA-256 không khớp); hãy dùng bản khác" >&2
    exit 2
fi
tables=$(psql "$pg_url" -Atc "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")
if [ "$tables" != "0" ]; then
    echo "Lỗi: cơ sở dữ liệu đích đã có $tables bảng; hãy khôi phục vào một cơ sở dữ liệu mới tạo" >&2
    exit 2
fi

pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
    --dbname "$pg_url" "$backup/database.dump"
mkdir -p "$blob_dir"
# Tệp đặt tên theo SHA-256: tệp đã có sẵn là cùng nội dung, giữ nguyên.
tar -C "$blob_dir" --skip-old-files -xf "$backup/blobs.tar"

# shellcheck disable=SC2086  # PROVINCE_SERVER may be a command with arguments
$server migrate --database-url "$url"
# shellcheck disable=SC2086
$server epoch new --database-url "$url"
echo "Đã khôi phục $backup. Hãy khởi động lại dịch vụ: systemctl start province-server"

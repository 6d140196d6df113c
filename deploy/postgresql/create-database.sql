-- Tạo người dùng và cơ sở dữ liệu cho máy chủ tỉnh (một lần):
--   sudo -u postgres psql -f create-database.sql
-- psql hỏi mật khẩu của người dùng province (hoặc: psql -v province_password=…);
-- ghi nó vào /etc/province-server/pgpass.
\if :{?province_password}
\else
\prompt 'Mật khẩu cho người dùng province: ' province_password
\endif
CREATE ROLE province LOGIN PASSWORD :'province_password';
CREATE DATABASE province OWNER province ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0;
-- Không đặt statement_timeout cho người dùng này: pg_dump (sao lưu) và
-- province-server migrate chạy lâu hơn mọi yêu cầu của máy quầy.

-- A customer's company data (000 §7.6: name, contact person, department, title, mail, address,
-- phone), changed through the desk: reseller staff or the operator (docs/store.md "Customer profile").
ALTER TABLE customers ADD COLUMN contact_name VARCHAR(100);
ALTER TABLE customers ADD COLUMN department VARCHAR(100);
ALTER TABLE customers ADD COLUMN contact_title VARCHAR(100);
ALTER TABLE customers ADD COLUMN contact_mail VARCHAR(254);
ALTER TABLE customers ADD COLUMN address VARCHAR(300);
ALTER TABLE customers ADD COLUMN phone VARCHAR(30);

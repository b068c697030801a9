-- Qualified invoices (docs/invoices.md): numbered without gaps per issuer (the edition), one per
-- contract and billed month. The issuer's name, registration number and contact are kept as
-- printed, so that the PDF is made again byte for byte. Invoices are kept when a customer's data
-- is erased: the law makes the issuer keep copies of the invoices it issued (decision 0024).
CREATE TABLE invoice_numbers (
    issuer       VARCHAR(40) PRIMARY KEY,
    last_number  BIGINT      NOT NULL
);

CREATE TABLE invoices (
    issuer        VARCHAR(40)  NOT NULL,
    number        BIGINT       NOT NULL,
    contract_id   BIGINT       NOT NULL REFERENCES contracts (id),
    reseller_id   BIGINT       NOT NULL REFERENCES resellers (id),
    customer_id   BIGINT       REFERENCES customers (id) ON DELETE SET NULL,
    issuer_name   VARCHAR(200) NOT NULL,
    registration  VARCHAR(14)  NOT NULL,
    contact       VARCHAR(500) NOT NULL,
    recipient     VARCHAR(200) NOT NULL,
    issued_on     DATE         NOT NULL,
    billed_month  DATE         NOT NULL,
    due_on        DATE         NOT NULL,
    created_at    TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    PRIMARY KEY (issuer, number),
    CONSTRAINT invoices_one_per_month UNIQUE (contract_id, billed_month)
);
CREATE INDEX invoices_customer ON invoices (customer_id);

CREATE TABLE invoice_lines (
    issuer        VARCHAR(40)  NOT NULL,
    number        BIGINT       NOT NULL,
    seq           INT          NOT NULL,
    item          VARCHAR(300) NOT NULL,
    listed        BIGINT       NOT NULL,
    tax_included  BOOLEAN      NOT NULL,
    rate          INT          NOT NULL,
    PRIMARY KEY (issuer, number, seq),
    FOREIGN KEY (issuer, number) REFERENCES invoices (issuer, number)
);

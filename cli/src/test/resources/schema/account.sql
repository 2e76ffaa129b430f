CREATE SCHEMA IF NOT EXISTS salesforce;

CREATE TABLE salesforce.account (
    accountnumber varchar(40),
    annualrevenue double precision,
    billingcity varchar(40),
    billingcountry varchar(80),
    billingpostalcode varchar(20),
    billingstate varchar(80),
    billingstreet varchar(255),
    createddate timestamp,
    description text,
    external_id__c varchar(80),
    industry varchar(255),
    isdeleted boolean,
    name varchar(255),
    numberofemployees integer,
    ownerid varchar(18),
    parentid varchar(18),
    phone varchar(40),
    systemmodstamp timestamp,
    type varchar(255),
    website varchar(255),
    sfid varchar(18),
    id serial,
    _hc_lastop varchar(32),
    _hc_err text,
    CONSTRAINT account_pkey PRIMARY KEY (id),
    CONSTRAINT hcu_idx_account_sfid UNIQUE (sfid)
);

CREATE INDEX hc_idx_account_systemmodstamp ON salesforce.account (systemmodstamp);
CREATE UNIQUE INDEX hcu_idx_account_external_id__c ON salesforce.account (external_id__c);
CREATE INDEX hc_idx_account_name ON salesforce.account (name);

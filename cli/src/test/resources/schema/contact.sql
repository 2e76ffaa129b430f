CREATE SCHEMA IF NOT EXISTS salesforce;

CREATE TABLE salesforce.contact (
    accountid varchar(18),
    birthdate date,
    createddate timestamp,
    email varchar(80),
    external_id__c varchar(80),
    firstname varchar(40),
    isdeleted boolean,
    lastmodifieddate timestamp,
    lastname varchar(80),
    mailingcity varchar(40),
    mailingcountry varchar(80),
    mailingpostalcode varchar(20),
    mailingstreet varchar(255),
    mobilephone varchar(40),
    name varchar(121),
    phone varchar(40),
    systemmodstamp timestamp,
    title varchar(128),
    sfid varchar(18),
    id serial,
    _hc_lastop varchar(32),
    _hc_err text,
    CONSTRAINT contact_pkey PRIMARY KEY (id),
    CONSTRAINT hcu_idx_contact_sfid UNIQUE (sfid)
);

CREATE INDEX hc_idx_contact_systemmodstamp ON salesforce.contact (systemmodstamp);
CREATE UNIQUE INDEX hcu_idx_contact_external_id__c ON salesforce.contact (external_id__c);
CREATE INDEX hc_idx_contact_accountid ON salesforce.contact (accountid);
CREATE INDEX hc_idx_contact_email ON salesforce.contact (email);

create table notes (name varchar(64));

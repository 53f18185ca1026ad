-- The language a member last used the site in (the `lang` cookie of the
-- language switch, else the browser's Accept-Language), recorded when they
-- sign in and as their session is seen: the emails sent to them alone (a
-- host's "your show starts in 10 minutes") are written in it. NULL: English.
ALTER TABLE accounts ADD COLUMN locale TEXT;

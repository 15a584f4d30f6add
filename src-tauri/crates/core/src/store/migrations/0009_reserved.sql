-- Reserved for issue 8's migration (performance); replaced when that is merged.
SELECT 1;

-- Per-subject request counters shared by every instance (rate-limiter-flexible's PostgreSQL store, its own layout).
-- Created here rather than by the library at run time: the service's role creates no tables (README, least privilege).
CREATE TABLE "rate_limit" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "rate_limit_pkey" PRIMARY KEY ("key")
);

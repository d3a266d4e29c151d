--
-- PostgreSQL database dump
--

\restrict WdldQGniGSXBTefwHduYghRqQp4YH9YLYUyiQiuNsWoQbHS6KfJFxnNVLw6Xgqa

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: answers; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.answers (
    id character varying(32) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    channel character varying(16) NOT NULL,
    conversation_id character varying(64),
    question text NOT NULL,
    standalone_question text NOT NULL,
    answer text NOT NULL,
    abstained boolean NOT NULL,
    citations text NOT NULL,
    groups text NOT NULL
);


--
-- Name: api_keys; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.api_keys (
    sha256 character varying(64) NOT NULL,
    name character varying(255) NOT NULL,
    groups text NOT NULL,
    admin boolean NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: claims; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.claims (
    key character varying(255) NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: feedback; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.feedback (
    id integer NOT NULL,
    answer_id character varying(32) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    channel character varying(16) NOT NULL,
    rating character varying(4) NOT NULL,
    comment text
);


--
-- Name: feedback_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.feedback_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: feedback_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.feedback_id_seq OWNED BY public.feedback.id;


--
-- Name: reindex_jobs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.reindex_jobs (
    id character varying(32) NOT NULL,
    state character varying(16) NOT NULL,
    running boolean,
    paths text NOT NULL,
    started_at timestamp with time zone NOT NULL,
    heartbeat_at timestamp with time zone NOT NULL,
    finished_at timestamp with time zone,
    counts text NOT NULL,
    failures text NOT NULL,
    error text
);


--
-- Name: feedback id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.feedback ALTER COLUMN id SET DEFAULT nextval('public.feedback_id_seq'::regclass);


--
-- Data for Name: answers; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.answers VALUES ('1e108d4c21ef4d9f9dbbdaf68eb1268a', '2026-12-03 16:55:12.982752+00', 'web', 'gesprek-1', 'Hoeveel dagen telewerk?', 'Hoeveel dagen telewerk mag ik?', 'Tot twee dagen per week [1].', false, '[{"n": 1, "document_id": "reglement-1", "title": "Arbeidsreglement", "source": "personeel/reglement.pdf", "page": 4, "article": "12", "date": "2024-01-01", "doc_type": "regelgeving", "text": "Telewerk kan tot twee dagen per week.", "score": 0.81}]', '["personeel"]');
INSERT INTO public.answers VALUES ('8cdabf637fbe4bbdae81a1d2cf775b35', '2026-12-03 16:55:12.989108+00', 'slack', NULL, 'Wie wint de derby?', 'Wie wint de derby?', 'Dat staat niet in de documenten.', true, '[]', '[]');


--
-- Data for Name: api_keys; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.api_keys VALUES ('9d5788b5b0c6a1e244c4806fbcd5a16399858532b067fa5fc97d7837c78d93bd', 'bestuur-app', '["bestuur"]', true, '2026-12-03 16:55:12.993261+00');


--
-- Data for Name: claims; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.claims VALUES ('slack-event-Ev0LEGACY', '2026-12-03 16:55:12.994756+00');


--
-- Data for Name: feedback; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.feedback VALUES (1, '1e108d4c21ef4d9f9dbbdaf68eb1268a', '2026-12-03 16:55:12.991353+00', 'web', 'down', 'Mist de uitzondering voor stagiairs ✗');


--
-- Data for Name: reindex_jobs; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.reindex_jobs VALUES ('fa64380b01294b1d9e03da81fe26e4d3', 'succeeded', NULL, '["/corpus/personeel"]', '2026-12-03 16:55:12.997327+00', '2026-12-03 16:55:12.997327+00', '2026-12-03 16:55:13.001973+00', '{"new": 3, "unchanged": 1}', '[{"source": "kapot.pdf", "reason": "versleuteld"}]', NULL);


--
-- Name: feedback_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.feedback_id_seq', 1, true);


--
-- Name: answers answers_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.answers
    ADD CONSTRAINT answers_pkey PRIMARY KEY (id);


--
-- Name: api_keys api_keys_name_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_keys
    ADD CONSTRAINT api_keys_name_key UNIQUE (name);


--
-- Name: api_keys api_keys_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_keys
    ADD CONSTRAINT api_keys_pkey PRIMARY KEY (sha256);


--
-- Name: claims claims_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.claims
    ADD CONSTRAINT claims_pkey PRIMARY KEY (key);


--
-- Name: feedback feedback_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.feedback
    ADD CONSTRAINT feedback_pkey PRIMARY KEY (id);


--
-- Name: reindex_jobs reindex_jobs_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.reindex_jobs
    ADD CONSTRAINT reindex_jobs_pkey PRIMARY KEY (id);


--
-- Name: reindex_jobs reindex_jobs_running_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.reindex_jobs
    ADD CONSTRAINT reindex_jobs_running_key UNIQUE (running);


--
-- Name: ix_feedback_answer_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_feedback_answer_id ON public.feedback USING btree (answer_id);


--
-- Name: ix_reindex_jobs_started_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_reindex_jobs_started_at ON public.reindex_jobs USING btree (started_at);


--
-- Name: feedback feedback_answer_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.feedback
    ADD CONSTRAINT feedback_answer_id_fkey FOREIGN KEY (answer_id) REFERENCES public.answers(id);


--
-- PostgreSQL database dump complete
--

\unrestrict WdldQGniGSXBTefwHduYghRqQp4YH9YLYUyiQiuNsWoQbHS6KfJFxnNVLw6Xgqa


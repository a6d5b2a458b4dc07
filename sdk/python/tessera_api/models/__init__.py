"""Contains all the data models used in inputs/outputs"""

from .agent import Agent
from .agent_config import AgentConfig
from .agent_list import AgentList
from .agent_request import AgentRequest
from .agent_step_headers import AgentStepHeaders
from .agent_step_type_0 import AgentStepType0
from .agent_step_type_0_kind import AgentStepType0Kind
from .agent_step_type_1 import AgentStepType1
from .agent_step_type_1_kind import AgentStepType1Kind
from .agent_step_type_2 import AgentStepType2
from .agent_step_type_2_kind import AgentStepType2Kind
from .agent_step_type_3 import AgentStepType3
from .agent_step_type_3_kind import AgentStepType3Kind
from .agent_step_type_4 import AgentStepType4
from .agent_step_type_4_kind import AgentStepType4Kind
from .answer_state import AnswerState
from .answerer import Answerer
from .b_tree_map import BTreeMap
from .chat_message import ChatMessage
from .chat_problem import ChatProblem
from .chat_request import ChatRequest
from .chat_stream_event_type_0 import ChatStreamEventType0
from .chat_stream_event_type_1 import ChatStreamEventType1
from .chat_stream_event_type_2 import ChatStreamEventType2
from .chat_stream_event_type_3 import ChatStreamEventType3
from .chat_stream_event_type_4 import ChatStreamEventType4
from .citation import Citation
from .connection_check import ConnectionCheck
from .connection_check_request import ConnectionCheckRequest
from .conversation import Conversation
from .conversation_page import ConversationPage
from .conversation_summary import ConversationSummary
from .create_token_request import CreateTokenRequest
from .created_token import CreatedToken
from .delivered import Delivered
from .document import Document
from .document_page import DocumentPage
from .document_status import DocumentStatus
from .effective_status import EffectiveStatus
from .execute_request import ExecuteRequest
from .execute_request_input_type_0 import ExecuteRequestInputType0
from .executed import Executed
from .execution import Execution
from .execution_page import ExecutionPage
from .execution_status import ExecutionStatus
from .file_page import FilePage
from .finish_reason import FinishReason
from .grace_period import GracePeriod
from .integration import Integration
from .integration_kind import IntegrationKind
from .integration_page import IntegrationPage
from .integration_request import IntegrationRequest
from .integration_request_secrets import IntegrationRequestSecrets
from .integration_secrets import IntegrationSecrets
from .integration_settings import IntegrationSettings
from .integration_settings_headers import IntegrationSettingsHeaders
from .level import Level
from .message_completed import MessageCompleted
from .message_created import MessageCreated
from .permissions import Permissions
from .pong import Pong
from .problem_body import ProblemBody
from .regenerate_request import RegenerateRequest
from .resource import Resource
from .search_hit import SearchHit
from .search_results import SearchResults
from .secret_state import SecretState
from .step_log_entry import StepLogEntry
from .stored_file import StoredFile
from .text_delta import TextDelta
from .token_page import TokenPage
from .token_scope_kind import TokenScopeKind
from .token_scope_type_0 import TokenScopeType0
from .token_scope_type_0_kind import TokenScopeType0Kind
from .token_scope_type_1 import TokenScopeType1
from .token_scope_type_1_kind import TokenScopeType1Kind
from .token_scope_type_2 import TokenScopeType2
from .token_scope_type_2_kind import TokenScopeType2Kind
from .token_self import TokenSelf
from .token_sort import TokenSort
from .token_view import TokenView
from .trigger import Trigger
from .trigger_kind import TriggerKind
from .trigger_page import TriggerPage
from .trigger_request import TriggerRequest
from .update_token_request import UpdateTokenRequest
from .upload_form import UploadForm
from .uploaded_files import UploadedFiles

__all__ = (
    "Agent",
    "AgentConfig",
    "AgentList",
    "AgentRequest",
    "AgentStepHeaders",
    "AgentStepType0",
    "AgentStepType0Kind",
    "AgentStepType1",
    "AgentStepType1Kind",
    "AgentStepType2",
    "AgentStepType2Kind",
    "AgentStepType3",
    "AgentStepType3Kind",
    "AgentStepType4",
    "AgentStepType4Kind",
    "AnswerState",
    "Answerer",
    "BTreeMap",
    "ChatMessage",
    "ChatProblem",
    "ChatRequest",
    "ChatStreamEventType0",
    "ChatStreamEventType1",
    "ChatStreamEventType2",
    "ChatStreamEventType3",
    "ChatStreamEventType4",
    "Citation",
    "ConnectionCheck",
    "ConnectionCheckRequest",
    "Conversation",
    "ConversationPage",
    "ConversationSummary",
    "CreateTokenRequest",
    "CreatedToken",
    "Delivered",
    "Document",
    "DocumentPage",
    "DocumentStatus",
    "EffectiveStatus",
    "ExecuteRequest",
    "ExecuteRequestInputType0",
    "Executed",
    "Execution",
    "ExecutionPage",
    "ExecutionStatus",
    "FilePage",
    "FinishReason",
    "GracePeriod",
    "Integration",
    "IntegrationKind",
    "IntegrationPage",
    "IntegrationRequest",
    "IntegrationRequestSecrets",
    "IntegrationSecrets",
    "IntegrationSettings",
    "IntegrationSettingsHeaders",
    "Level",
    "MessageCompleted",
    "MessageCreated",
    "Permissions",
    "Pong",
    "ProblemBody",
    "RegenerateRequest",
    "Resource",
    "SearchHit",
    "SearchResults",
    "SecretState",
    "StepLogEntry",
    "StoredFile",
    "TextDelta",
    "TokenPage",
    "TokenScopeKind",
    "TokenScopeType0",
    "TokenScopeType0Kind",
    "TokenScopeType1",
    "TokenScopeType1Kind",
    "TokenScopeType2",
    "TokenScopeType2Kind",
    "TokenSelf",
    "TokenSort",
    "TokenView",
    "Trigger",
    "TriggerKind",
    "TriggerPage",
    "TriggerRequest",
    "UpdateTokenRequest",
    "UploadForm",
    "UploadedFiles",
)
